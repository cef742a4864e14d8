import { Counter, Histogram, type Registry } from 'prom-client';
import type { CancellationCode } from './state.js';

export type SagaOutcome = 'PAID' | CancellationCode;

/** How one recovery attempt left an order: finished (PAID or CANCELLED and done), pending (not
 *  done yet: a peer was still away, or another driver moved it first; a later pass goes on) or
 *  failed (an error; retried after the lease). An order may take several attempts. */
export type RecoveryResult = 'finished' | 'pending' | 'failed';

/** What the order subgraph tells Prometheus about placeOrder's saga. */
export interface SagaMetrics {
  /** An order reached its final status: PAID, or CANCELLED with this code. */
  outcome(outcome: SagaOutcome, placedAt: Date): void;
  /** A saga call to another subgraph is tried again after a transient failure. */
  retry(call: string): void;
  recovery(result: RecoveryResult): void;
  /** A batch of paid orders' confirmations was sent (and answered) or failed (left to recovery). */
  confirmBatch(result: 'sent' | 'failed', orders: number): void;
}

/** Cancellations a person asks for happen whenever they choose: not part of the saga's duration. */
const CHOSEN: ReadonlySet<SagaOutcome> = new Set(['CANCELLED_BY_CUSTOMER', 'CANCELLED_BY_ADMIN']);

export function createSagaMetrics(registry: Registry): SagaMetrics {
  const outcomes = new Counter({
    name: 'order_saga_outcomes_total',
    help: 'Orders reaching their final status, by outcome: PAID or the CancellationCode (an order paid and later cancelled counts in both)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'order_saga_duration_seconds',
    help: "Time from an order's placement to PAID or the saga's cancellation of it (recovered orders included), by outcome",
    labelNames: ['outcome'],
    buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 300],
    registers: [registry],
  });
  const retries = new Counter({
    name: 'order_saga_retries_total',
    help: 'Saga calls tried again after a transient failure or timeout, by call',
    labelNames: ['call'],
    registers: [registry],
  });
  const recoveries = new Counter({
    name: 'order_saga_recoveries_total',
    help: 'Recovery attempts on abandoned orders, by result: finished, pending (not done yet: a peer still away, or another driver moved it first; claimed again after its lease) or failed',
    labelNames: ['result'],
    registers: [registry],
  });
  const confirmBatches = new Counter({
    name: 'order_saga_confirm_batches_total',
    help: "Batches confirming paid orders' reservations, by result: sent, or failed (their orders are left to recovery)",
    labelNames: ['result'],
    registers: [registry],
  });
  const confirmBatchOrders = new Counter({
    name: 'order_saga_confirm_batch_orders_total',
    help: 'Orders in the confirm batches, by result of their batch',
    labelNames: ['result'],
    registers: [registry],
  });
  return {
    outcome: (outcome, placedAt) => {
      outcomes.inc({ outcome });
      if (!CHOSEN.has(outcome)) duration.observe({ outcome }, Math.max(0, (Date.now() - placedAt.getTime()) / 1000));
    },
    retry: (call) => retries.inc({ call }),
    recovery: (result) => recoveries.inc({ result }),
    confirmBatch: (result, orders) => {
      confirmBatches.inc({ result });
      confirmBatchOrders.inc({ result }, orders);
    },
  };
}
