import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../../../../lib/log.js';
import type { SagaMetrics } from './metrics.js';
import type { Peers } from './peers.js';

export interface ConfirmBatchConfig {
  /** A batch goes as soon as it holds this many orders (the product subgraph takes 500 at most). */
  maxOrders: number;
  /** ... or this long after its first order arrived, whichever comes first. */
  delayMs: number;
}

/** No client waits on a confirmation and the order is PAID meanwhile: a window of 50 ms puts about
 *  10 orders in one call at 200 orders/s, at no cost a user sees. */
export const DEFAULT_CONFIRM_BATCH: ConfirmBatchConfig = { maxOrders: 100, delayMs: 50 };

export interface ConfirmBatcher {
  /** Queues a paid, shipped order at CONFIRM for the next batch. */
  add(orderId: string): void;
  /** Sends what is queued, waits for every batch in flight and takes no more orders. */
  stop(): Promise<void>;
}

/**
 * Confirms paid orders' reservations in batches, off each order's path: one confirmReservations
 * call and one UPDATE to DONE per batch instead of a call per order. It holds nothing durable: an
 * order is at CONFIRM in its table before it is queued, so a batch lost to a crash, or refused
 * because the product subgraph is away, is finished by recovery's confirm step after its grace.
 */
export function startConfirmBatcher(deps: { orm: MikroORM; peers: Peers; metrics: SagaMetrics; logger: Logger }, config: ConfirmBatchConfig): ConfirmBatcher {
  let queued: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const inFlight = new Set<Promise<void>>();

  const send = () => {
    clearTimeout(timer);
    timer = undefined;
    const batch = queued;
    queued = [];
    if (batch.length === 0) return;
    const sending = confirmBatch(deps, batch).finally(() => inFlight.delete(sending));
    inFlight.add(sending);
  };

  return {
    add: (orderId) => {
      // Stopped: the pool may be closed already (a request that outlived the shutdown grace); recovery confirms it.
      if (stopped) return;
      queued.push(orderId);
      if (queued.length >= config.maxOrders) send();
      else timer ??= setTimeout(send, config.delayMs);
    },
    stop: async () => {
      // Sent now rather than left to recovery: one call, and it spares these paid orders the
      // recovery grace (30 s by default) with their stock still only RESERVED.
      stopped = true;
      send();
      await Promise.all(inFlight);
    },
  };
}

async function confirmBatch({ orm, peers, metrics, logger }: Parameters<typeof startConfirmBatcher>[0], orderIds: string[]): Promise<void> {
  try {
    const answers = await peers.confirmReservations(orderIds);
    const confirmed = answers.filter((answer) => answer.confirmed).map((answer) => answer.orderId);
    // Only orders still at CONFIRM move: one cancelled meanwhile (CANCEL_SHIPMENT) is the cancel's.
    if (confirmed.length > 0) {
      await orm.em.fork().execute(`update customer_order set saga_step = 'DONE', updated_at = now() where id in (?) and saga_step = 'CONFIRM'`, [confirmed]);
    }
    for (const refused of answers.filter((answer) => !answer.confirmed)) {
      logger.warn({ orderId: refused.orderId, reason: refused.reason }, 'reservation not confirmed; the order stays at CONFIRM for recovery');
    }
    // The batch's call carries no request's id: this line ties its orders to it.
    logger.debug({ orderIds, confirmed: confirmed.length }, 'confirm batch sent');
    metrics.confirmBatch('sent', orderIds.length);
  } catch (error) {
    metrics.confirmBatch('failed', orderIds.length);
    logger.warn({ err: error, orders: orderIds.length }, 'confirm batch failed; recovery confirms its orders');
  }
}
