import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../../../../lib/log.js';
import { formatMoney, MAX_AMOUNT, parseMoney, sumMoney } from '../../../../lib/money.js';
import { SubgraphCallError, withRetries } from '../../../../lib/subgraph-client.js';
import type { SagaMetrics } from './metrics.js';
import type { PaymentAnswer, Peers } from './peers.js';
import { conclude, loadSagaState, transition, type CancellationCode, type SagaState } from './state.js';

export interface SagaDeps {
  em: EntityManager;
  peers: Peers;
  metrics: SagaMetrics;
  logger: Logger;
  requestId?: string;
  /** Set when recovery drives an order another process abandoned mid-saga. */
  recovering?: boolean;
}

/**
 * Drives an order from whatever step is persisted until it is DONE, or until a step cannot make
 * progress (a peer is down during compensation); the order then keeps its step and recovery
 * finishes it later. Every step is safe to run again: the peers are idempotent per order id.
 * True when the order is done (PAID or CANCELLED with nothing left to undo).
 */
export async function driveOrder(deps: SagaDeps, orderId: string): Promise<boolean> {
  // Every line of the saga names its order, beside the request id the caller's logger carries.
  const logger = deps.logger.child({ orderId });
  const orderDeps = { ...deps, logger };
  for (let moved = false; ; moved = true) {
    const state = await loadSagaState(deps.em, orderId);
    if (state.sagaStep === 'DONE') {
      if (moved) logger.info({ status: state.status }, `order ${state.status === 'PAID' ? 'paid' : 'cancelled'}`);
      return true;
    }
    logger.debug({ step: state.sagaStep }, 'saga step');
    const progressed = await STEPS[state.sagaStep](orderDeps, state);
    if (!progressed) return false;
  }
}

type Step = (deps: SagaDeps, state: SagaState) => Promise<boolean>;

const reserve: Step = async (deps, order) => {
  const { em, peers, requestId } = deps;
  let answer;
  try {
    answer = await peers.reserveStock(order.id, order.lines, requestId);
  } catch (error) {
    // The reservation may have happened with its answer lost: compensation releases it anyway.
    return conclude(deps, order, 'RESERVE', cancelled('INVENTORY_UNAVAILABLE', `Stock could not be reserved: ${describe(error)}`, { needsRelease: true }));
  }
  if (answer.status === 'REJECTED') {
    return conclude(deps, order, 'RESERVE', { ...cancelled(answer.rejection ?? 'OUT_OF_STOCK', answer.reason ?? 'Stock could not be reserved'), sagaStep: 'DONE' });
  }
  if (answer.status === 'RELEASED') {
    return conclude(deps, order, 'RESERVE', cancelled('INVENTORY_UNAVAILABLE', 'The reservation was released before it completed', { needsRelease: true }));
  }
  const prices = new Map(answer.lines.map((line) => [line.productId, line.unitPrice]));
  const total = sumMoney(order.lines.map((line) => parseMoney(prices.get(line.productId) ?? '0') * BigInt(line.quantity)));
  if (total > MAX_AMOUNT) {
    // numeric(12,2) holds it no more than any processor would take it: refuse before charging.
    const reason = `The order total ${formatMoney(total)} is more than the largest amount that can be charged, ${formatMoney(MAX_AMOUNT)}`;
    return conclude(deps, order, 'RESERVE', cancelled('PAYMENT_DECLINED', reason, { needsRelease: true }));
  }
  return em.transactional(async (tx) => {
    for (const line of order.lines) {
      await tx.execute('update order_line set unit_price = ? where order_id = ? and product_id = ?', [prices.get(line.productId) ?? null, order.id, line.productId]);
    }
    const moved = await transition(tx, order.id, 'RESERVE', { sagaStep: 'CHARGE', totalAmount: formatMoney(total) });
    if (!moved) throw new LostRace();
    return true;
  }).catch((error: unknown) => {
    if (error instanceof LostRace) return true;
    throw error;
  });
};

const charge: Step = async (deps, order) => {
  const { peers, requestId, recovering, metrics } = deps;
  let payment;
  try {
    // After a crash the charge may or may not have reached the processor: ask before acting.
    const known = recovering ? await peers.paymentForOrder(order.id, requestId) : null;
    if (known && known.status !== 'PENDING') return settleCharge(deps, order, known);
    payment = await withRetries(
      peers.retryPolicy,
      async () => {
        const answer = await peers.chargePayment(order.id, order.customerId, order.totalAmount ?? '0.00', requestId);
        if (answer.status === 'PENDING') throw new SubgraphCallError('the payment is still being processed', true);
        return answer;
      },
      () => metrics.retry('chargePayment'),
    );
  } catch (error) {
    // A charge that timed out may still land: compensation voids or refunds it.
    return conclude(deps, order, 'CHARGE', cancelled('PAYMENT_UNAVAILABLE', `The payment could not be completed: ${describe(error)}`, { needsRefund: true, needsRelease: true }));
  }
  return settleCharge(deps, order, payment);
};

async function settleCharge(deps: SagaDeps, order: SagaState, payment: PaymentAnswer): Promise<boolean> {
  if (payment.status === 'COMPLETED') return conclude(deps, order, 'CHARGE', { status: 'PAID', sagaStep: 'CONFIRM' });
  if (payment.status === 'FAILED') {
    return conclude(deps, order, 'CHARGE', cancelled('PAYMENT_DECLINED', payment.failureReason ?? 'The payment was declined', { needsRelease: true }));
  }
  // REFUNDED: only compensation refunds, so a cancel has already moved the order and this
  // transition loses; it is here so an order can never sit at CHARGE with its money returned.
  return conclude(deps, order, 'CHARGE', cancelled('PAYMENT_UNAVAILABLE', 'The payment was refunded before the order completed', { needsRelease: true }));
}

const confirm: Step = async ({ em, peers, logger, requestId }, order) => {
  try {
    await peers.confirmReservation(order.id, requestId);
  } catch (error) {
    // The order is paid and its stock is already taken; confirming is bookkeeping that recovery retries.
    logger.warn({ err: error }, 'could not confirm the reservation yet');
    return false;
  }
  return transition(em, order.id, 'CONFIRM', { sagaStep: 'DONE' });
};

/** Puts stock back and voids or refunds the charge, each independently and once per call: the
 *  order is already CANCELLED, so the client need not wait for a peer that is down, and the
 *  stock returns even while the payment service is away. Recovery repeats what is left. */
const compensate: Step = async ({ em, peers, logger, requestId }, order) => {
  const undo = async (needed: boolean, column: 'needs_release' | 'needs_refund', call: () => Promise<unknown>) => {
    if (!needed) return true;
    try {
      await call();
      await em.execute(`update customer_order set ${column} = false, updated_at = now() where id = ?`, [order.id]);
      return true;
    } catch (error) {
      logger.warn({ err: error }, `compensation (${column}) is pending; recovery will finish it`);
      return false;
    }
  };
  const released = await undo(order.needsRelease, 'needs_release', () => peers.releaseStock(order.id, requestId));
  const refunded = await undo(order.needsRefund, 'needs_refund', () => peers.refundPayment(order.id, requestId));
  return released && refunded && transition(em, order.id, 'COMPENSATE', { sagaStep: 'DONE' });
};

const done: Step = async () => false;

const STEPS: Record<SagaState['sagaStep'], Step> = { RESERVE: reserve, CHARGE: charge, CONFIRM: confirm, COMPENSATE: compensate, DONE: done };

class LostRace extends Error {}

export function cancelled(
  code: CancellationCode,
  reason: string,
  compensation: { needsRefund?: boolean; needsRelease?: boolean } = {},
) {
  return { status: 'CANCELLED' as const, sagaStep: 'COMPENSATE' as const, cancellationCode: code, cancellationReason: reason, ...compensation };
}

function describe(error: unknown): string {
  return error instanceof SubgraphCallError ? error.message : 'an internal error';
}
