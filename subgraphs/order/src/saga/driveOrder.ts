import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../../../../lib/log.js';
import { formatMoney, parseMoney, sumMoney } from '../../../../lib/money.js';
import { SubgraphCallError } from '../../../../lib/subgraph-client.js';
import { withRetries, type Peers } from './peers.js';
import { loadSagaState, transition, type CancellationCode, type SagaState } from './state.js';

export interface SagaDeps {
  em: EntityManager;
  peers: Peers;
  logger: Logger;
  requestId?: string;
}

/**
 * Drives an order from whatever step is persisted until it is DONE, or until a step cannot make
 * progress (a peer is down during compensation); the order then keeps its step and recovery
 * finishes it later. Every step is safe to run again: the peers are idempotent per order id.
 */
export async function driveOrder(deps: SagaDeps, orderId: string): Promise<void> {
  for (;;) {
    const state = await loadSagaState(deps.em, orderId);
    const progressed = await STEPS[state.sagaStep](deps, state);
    if (!progressed) return;
  }
}

type Step = (deps: SagaDeps, state: SagaState) => Promise<boolean>;

const reserve: Step = async ({ em, peers, requestId }, order) => {
  let answer;
  try {
    answer = await peers.reserveStock(order.id, order.lines, requestId);
  } catch (error) {
    // The reservation may have happened with its answer lost: compensation releases it anyway.
    return transition(em, order.id, 'RESERVE', cancelled('INVENTORY_UNAVAILABLE', `Stock could not be reserved: ${describe(error)}`, { needsRelease: true }));
  }
  if (answer.status === 'REJECTED') {
    return transition(em, order.id, 'RESERVE', { ...cancelled(answer.rejection ?? 'OUT_OF_STOCK', answer.reason ?? 'Stock could not be reserved'), sagaStep: 'DONE' });
  }
  if (answer.status === 'RELEASED') {
    return transition(em, order.id, 'RESERVE', cancelled('INVENTORY_UNAVAILABLE', 'The reservation was released before it completed', { needsRelease: true }));
  }
  const prices = new Map(answer.lines.map((line) => [line.productId, line.unitPrice]));
  const total = sumMoney(order.lines.map((line) => parseMoney(prices.get(line.productId) ?? '0') * BigInt(line.quantity)));
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

const charge: Step = async ({ em, peers, requestId }, order) => {
  let payment;
  try {
    payment = await withRetries(peers.retryPolicy, async () => {
      const answer = await peers.chargePayment(order.id, order.customerId, order.totalAmount ?? '0.00', requestId);
      if (answer.status === 'PENDING') throw new SubgraphCallError('the payment is still being processed', true);
      return answer;
    });
  } catch (error) {
    // A charge that timed out may still land: compensation voids or refunds it.
    return transition(em, order.id, 'CHARGE', cancelled('PAYMENT_UNAVAILABLE', `The payment could not be completed: ${describe(error)}`, { needsRefund: true, needsRelease: true }));
  }
  if (payment.status === 'COMPLETED') return transition(em, order.id, 'CHARGE', { status: 'PAID', sagaStep: 'CONFIRM' });
  if (payment.status === 'FAILED') {
    return transition(em, order.id, 'CHARGE', cancelled('PAYMENT_DECLINED', payment.failureReason ?? 'The payment was declined', { needsRelease: true }));
  }
  // REFUNDED: a cancel won the race and already moved the order on; re-read it.
  return true;
};

const confirm: Step = async ({ em, peers, logger, requestId }, order) => {
  try {
    await peers.confirmReservation(order.id, requestId);
  } catch (error) {
    // The order is paid and its stock is already taken; confirming is bookkeeping that recovery retries.
    logger.warn({ orderId: order.id, err: error }, 'could not confirm the reservation yet');
    return false;
  }
  return transition(em, order.id, 'CONFIRM', { sagaStep: 'DONE' });
};

const compensate: Step = async ({ em, peers, logger, requestId }, order) => {
  try {
    if (order.needsRefund) {
      await withRetries(peers.retryPolicy, () => peers.refundPayment(order.id, requestId));
      await em.execute('update customer_order set needs_refund = false, updated_at = now() where id = ?', [order.id]);
    }
    if (order.needsRelease) await withRetries(peers.retryPolicy, () => peers.releaseStock(order.id, requestId));
  } catch (error) {
    logger.warn({ orderId: order.id, err: error }, 'compensation is pending; recovery will finish it');
    return false;
  }
  return transition(em, order.id, 'COMPENSATE', { sagaStep: 'DONE', needsRelease: false });
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
