import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../../../../lib/log.js';
import { formatMoney, MAX_AMOUNT, parseMoney, sumMoney } from '../../../../lib/money.js';
import { SubgraphCallError, withRetries } from '../../../../lib/subgraph-client.js';
import type { SagaMetrics } from './metrics.js';
import type { PaymentAnswer, Peers } from './peers.js';
import type { Order, SagaStep } from '../entities/Order.js';
import { shownPaymentStatus } from '../paymentStatus.js';
import type { PaymentStatus } from '../generated/payment-operations.js';
import { conclude, loadSagaState, settleCancelIntent, transition, transitionWithPrices, type CancellationCode, type SagaState, type Transition } from './state.js';

export interface SagaDeps {
  em: EntityManager;
  peers: Peers;
  metrics: SagaMetrics;
  logger: Logger;
  requestId?: string;
  /** Set when recovery drives an order another process abandoned mid-saga. */
  recovering?: boolean;
  /** A request's driver hands a paid, shipped order at CONFIRM to the confirm batcher and answers;
   *  without it (recovery) the order is confirmed here, on its own. */
  confirmLater?: (orderId: string) => void;
}

/**
 * Drives an order from whatever step it is at until it is DONE, or until a step cannot make
 * progress (a peer is down during compensation, or another driver moved the order first); the
 * order then keeps its step and recovery or that driver finishes it later. Every step is safe to
 * run again: the peers are idempotent per order id. The driver that placed the order passes the
 * state it just wrote and carries it from step to step, as each step's conditional update tells
 * it what the row now holds; without it (recovery, a cancel) the order is read from its table.
 * `done` when the order is done (PAID or CANCELLED with nothing left to undo), or PAID at CONFIRM
 * and handed to the confirm batcher (final for the client: only bookkeeping is left), with the row
 * as this driver's last transition left it when that transition is what finished it, and the
 * payment's status as the answers this driver got from payment show it, when it knows.
 */
export async function driveOrder(deps: SagaDeps, orderId: string, placed?: SagaState): Promise<{ done: boolean; order?: Order; paymentStatus?: PaymentStatus | null }> {
  // Every line of the saga names its order, beside the request id the caller's logger carries.
  const logger = deps.logger.child({ orderId });
  const orderDeps = { ...deps, logger };
  let state = placed ?? (await loadSagaState(deps.em, orderId));
  // An order PAID before this driver took it (its shipment or confirm owed, a cancel refused because
  // it has shipped) is not newly paid: its last line says it stays paid.
  const paidBefore = state.status === 'PAID';
  for (let moved = false; ; moved = true) {
    const confirmedLater = state.sagaStep === 'CONFIRM' && deps.confirmLater;
    if (state.sagaStep === 'DONE' || confirmedLater) {
      if (confirmedLater) deps.confirmLater!(orderId);
      if (moved) logger.info({ status: state.status }, state.status !== 'PAID' ? 'order cancelled' : paidBefore ? 'order stays paid' : 'order paid');
      return { done: true, order: state.written, paymentStatus: state.paymentStatus };
    }
    logger.debug({ step: state.sagaStep }, 'saga step');
    const next = await STEPS[state.sagaStep](orderDeps, state);
    if (next === STOP) return { done: false };
    state = next === RELOAD ? await loadSagaState(deps.em, orderId) : next;
  }
}

/** This driver goes no further: another one moved the order first and finishes what it started,
 *  or a peer is away and recovery finishes the order later. */
const STOP = 'stop';
/** Another driver moved the order first, and this one goes on from where that left it. */
const RELOAD = 'reload';
type Step = (deps: SagaDeps, state: SagaState) => Promise<SagaState | typeof STOP | typeof RELOAD>;

/** The order as a won transition left it, or STOP when another driver had moved it. */
function after(order: SagaState, change: Transition, written: Order | null): SagaState | typeof STOP {
  return written ? { ...order, ...change, written } : STOP;
}

const finish = async (deps: SagaDeps, order: SagaState, from: SagaStep, change: Parameters<typeof conclude>[3]) =>
  after(order, change, await conclude(deps, order, from, change));

const reserve: Step = async (deps, order) => {
  const { em, peers, requestId } = deps;
  let answer;
  try {
    answer = await peers.reserveStock(order.id, order.lines, requestId);
  } catch (error) {
    // The reservation may have happened with its answer lost: compensation releases it anyway.
    return finish(deps, order, 'RESERVE', cancelled('INVENTORY_UNAVAILABLE', `Stock could not be reserved: ${describe(error)}`, { needsRelease: true }));
  }
  if (answer.status === 'REJECTED') {
    return finish(deps, order, 'RESERVE', { ...cancelled(answer.rejection ?? 'OUT_OF_STOCK', answer.reason ?? 'Stock could not be reserved'), sagaStep: 'DONE' });
  }
  if (answer.status === 'RELEASED') {
    return finish(deps, order, 'RESERVE', cancelled('INVENTORY_UNAVAILABLE', 'The reservation was released before it completed', { needsRelease: true }));
  }
  const prices = new Map(answer.lines.map((line) => [line.productId, line.unitPrice]));
  const total = sumMoney(order.lines.map((line) => parseMoney(prices.get(line.productId) ?? '0') * BigInt(line.quantity)));
  if (total > MAX_AMOUNT) {
    // numeric(12,2) holds it no more than any processor would take it: refuse before charging.
    const reason = `The order total ${formatMoney(total)} is more than the largest amount that can be charged, ${formatMoney(MAX_AMOUNT)}`;
    return finish(deps, order, 'RESERVE', cancelled('PAYMENT_DECLINED', reason, { needsRelease: true }));
  }
  const change = { sagaStep: 'CHARGE', totalAmount: formatMoney(total) } as const;
  return (await transitionWithPrices(em, order.id, change, prices)) ? { ...order, ...change, written: undefined } : RELOAD;
};

const charge: Step = async (deps, order) => {
  const { peers, requestId, recovering, metrics } = deps;
  let payment;
  try {
    // After a crash the charge may or may not have reached the processor: ask before acting.
    const known = recovering ? await peers.paymentForOrder(order.id, requestId) : null;
    if (known && known.status !== 'PENDING') return settleCharge(deps, { ...order, paymentStatus: shownPaymentStatus(known) }, known);
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
    return finish(deps, order, 'CHARGE', cancelled('PAYMENT_UNAVAILABLE', `The payment could not be completed: ${describe(error)}`, { needsRefund: true, needsRelease: true }));
  }
  return settleCharge(deps, { ...order, paymentStatus: shownPaymentStatus(payment) }, payment);
};

/** A completed charge makes the order PAID, to be shipped next. Its reservation is confirmed
 *  last, after the shipment and off the request's path (CONFIRM): the stock is taken from the
 *  moment it was reserved, so confirming it is bookkeeping that batches well. */
async function settleCharge(deps: SagaDeps, order: SagaState, payment: PaymentAnswer): Promise<SagaState | typeof STOP> {
  if (payment.status === 'COMPLETED') return finish(deps, order, 'CHARGE', { status: 'PAID', sagaStep: 'SHIP' });
  if (payment.status === 'FAILED') {
    return finish(deps, order, 'CHARGE', cancelled('PAYMENT_DECLINED', payment.failureReason ?? 'The payment was declined', { needsRelease: true }));
  }
  // REFUNDED: only compensation refunds, so a cancel has already moved the order and this
  // transition loses; it is here so an order can never sit at CHARGE with its money returned.
  return finish(deps, order, 'CHARGE', cancelled('PAYMENT_UNAVAILABLE', 'The payment was refunded before the order completed', { needsRelease: true }));
}

async function confirmReservation({ peers, logger, requestId }: SagaDeps, order: SagaState): Promise<boolean> {
  try {
    await peers.confirmReservation(order.id, requestId);
    return true;
  } catch (error) {
    // The order is paid and its stock is already taken; confirming is bookkeeping that recovery retries.
    logger.warn({ err: error }, 'could not confirm the reservation yet');
    return false;
  }
}

/** The last step of a paid order, one at a time: recovery's, for an order whose batch never ran
 *  (a crash, the product subgraph away) or that a refused cancel returned here. Its shipment is
 *  asked for again first: before the confirm batches, CONFIRM came before SHIP, so during a rolling
 *  deploy an older replica can still leave a paid order at CONFIRM unshipped. Shipping creates one
 *  shipment per order whatever is repeated, so on this rare path the call costs one round trip. */
const confirm: Step = async (deps, order) => {
  try {
    await deps.peers.createShipment(order.id, order.customerId, deps.requestId);
  } catch (error) {
    deps.logger.warn({ err: error }, 'could not check the shipment before confirming; recovery retries');
    return STOP;
  }
  if (!(await confirmReservation(deps, order))) return STOP;
  return after(order, { sagaStep: 'DONE' }, await transition(deps.em, order.id, 'CONFIRM', { sagaStep: 'DONE' }));
};

/** A paid order's shipment, created once by the shipping subgraph whatever is retried; CONFIRM
 *  follows. Shipping being away never fails or cancels a paid order: it stays PAID at SHIP and
 *  recovery creates the shipment later. A CANCELLED answer is a cancel's marker (it got there
 *  first and is cancelling the order): nothing to ship, and the cancel finishes the order. */
const ship: Step = async (deps, order) => {
  try {
    await deps.peers.createShipment(order.id, order.customerId, deps.requestId);
  } catch (error) {
    deps.logger.warn({ err: error }, 'the shipment is pending; recovery will create it');
    return STOP;
  }
  return after(order, { sagaStep: 'CONFIRM' }, await transition(deps.em, order.id, 'SHIP', { sagaStep: 'CONFIRM' }));
};

/** A recorded cancel of a PAID order: shipping, the arbiter of whether it has left, is asked (again,
 *  after a crash: it answers the same) to cancel the shipment, and its answer settles the cancel.
 *  Shipping being away keeps the order PAID at this step, the cancel still recorded, for recovery. */
const cancelShipment: Step = async (deps, order) => {
  let shipment;
  try {
    shipment = await deps.peers.cancelShipment(order.id, deps.requestId);
  } catch (error) {
    deps.logger.warn({ err: error }, 'the shipment cancel is pending; recovery will ask shipping again');
    return STOP;
  }
  const written = await settleCancelIntent(deps, order, shipment.status);
  if (!written) return STOP;
  const { status, sagaStep, needsRefund, needsRelease } = written;
  return after(order, { status, sagaStep, needsRefund, needsRelease }, written);
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
  let paymentStatus = order.paymentStatus;
  const released = await undo(order.needsRelease, 'needs_release', () => peers.releaseStock(order.id, requestId));
  const refunded = await undo(order.needsRefund, 'needs_refund', async () => (paymentStatus = shownPaymentStatus(await peers.refundPayment(order.id, requestId))));
  if (!released || !refunded) return STOP;
  return after({ ...order, paymentStatus }, { sagaStep: 'DONE', needsRelease: false, needsRefund: false }, await transition(em, order.id, 'COMPENSATE', { sagaStep: 'DONE' }));
};

const done: Step = async () => STOP;

const STEPS: Record<SagaState['sagaStep'], Step> = { RESERVE: reserve, CHARGE: charge, CONFIRM: confirm, SHIP: ship, CANCEL_SHIPMENT: cancelShipment, COMPENSATE: compensate, DONE: done };

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
