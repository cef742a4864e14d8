import type { EntityManager } from '@mikro-orm/postgresql';
import type { Order, OrderStatus, SagaStep } from '../entities/Order.js';
import type { PaymentStatus } from '../generated/payment-operations.js';
import { ORDER_COLUMNS, toOrder, type OrderRow } from '../orders.js';
import type { SagaMetrics } from './metrics.js';

export type CancellationCode =
  | 'PRODUCT_NOT_FOUND'
  | 'OUT_OF_STOCK'
  | 'PAYMENT_DECLINED'
  | 'PAYMENT_UNAVAILABLE'
  | 'INVENTORY_UNAVAILABLE'
  | 'CANCELLED_BY_CUSTOMER'
  | 'CANCELLED_BY_ADMIN';

export interface SagaState {
  id: string;
  customerId: string;
  status: OrderStatus;
  sagaStep: SagaStep;
  needsRefund: boolean;
  needsRelease: boolean;
  totalAmount: string | null;
  placedAt: Date;
  lines: { productId: string; quantity: number }[];
  /** The whole row, when this driver's own transition is what the state above came from. */
  written?: Order;
  /** Order.paymentStatus as payment would answer it, from the answers this driver got; undefined
   *  when it does not know (the state was read from the table). */
  paymentStatus?: PaymentStatus | null;
}

/** Reads the persisted saga state straight from the table, never from an identity map: another
 *  request or replica may have moved the order since this one last looked. */
export async function loadSagaState(em: EntityManager, orderId: string): Promise<SagaState> {
  const [order] = await em.execute<Record<string, any>[]>(
    `select id, customer_id, status, saga_step, needs_refund, needs_release, total_amount, created_at from customer_order where id = ?`,
    [orderId],
  );
  if (!order) throw new Error(`order ${orderId} vanished`);
  const lines = await em.execute<{ product_id: string; quantity: number }[]>(
    'select product_id, quantity from order_line where order_id = ? order by position',
    [orderId],
  );
  return {
    id: order.id,
    customerId: order.customer_id,
    status: order.status,
    sagaStep: order.saga_step,
    needsRefund: order.needs_refund,
    needsRelease: order.needs_release,
    totalAmount: order.total_amount,
    placedAt: new Date(order.created_at),
    lines: lines.map((line) => ({ productId: line.product_id, quantity: line.quantity })),
  };
}

export interface Transition {
  status?: OrderStatus;
  sagaStep?: SagaStep;
  needsRefund?: boolean;
  needsRelease?: boolean;
  totalAmount?: string;
  /** null clears a cancel's recorded intent when shipping refuses it. */
  cancellationCode?: CancellationCode | null;
  cancellationReason?: string | null;
}

const COLUMNS: Record<keyof Transition, string> = {
  status: 'status',
  sagaStep: 'saga_step',
  needsRefund: 'needs_refund',
  needsRelease: 'needs_release',
  totalAmount: 'total_amount',
  cancellationCode: 'cancellation_code',
  cancellationReason: 'cancellation_reason',
};

/**
 * Moves an order on only if it is still at the step the caller saw, and answers with the order as
 * it left it. Whoever loses the race (a concurrent cancel, a second replica's recovery) changes
 * nothing and gets null.
 */
export async function transition(em: EntityManager, orderId: string, from: SagaStep, change: Transition): Promise<Order | null> {
  const { assignments, values } = assignmentsOf(change);
  // The whole row comes back, so that the request that placed the order can answer with it.
  const [row] = await em.execute<OrderRow[]>(
    `update customer_order o set ${assignments}, updated_at = now() where o.id = ? and o.saga_step = ? returning ${ORDER_COLUMNS}`,
    [...values, orderId, from],
  );
  return row ? toOrder(row) : null;
}

/**
 * The transition out of RESERVE with the unit prices the reservation snapshotted, in one
 * statement: the lines are priced only if the order moved, so a driver that lost the race to a
 * cancel or another replica writes nothing.
 */
export async function transitionWithPrices(em: EntityManager, orderId: string, change: Transition, prices: Map<string, string>): Promise<boolean> {
  const { assignments, values } = assignmentsOf(change);
  const rows = await em.execute<{ id: string }[]>(
    `with moved as (
       update customer_order set ${assignments}, updated_at = now() where id = ? and saga_step = 'RESERVE' returning id, total_amount
     ), priced as (
       update order_line set unit_price = price.unit_price, order_total = moved.total_amount
       from moved, jsonb_to_recordset(?::jsonb) as price(product_id text, unit_price numeric)
       where order_line.order_id = moved.id and order_line.product_id = price.product_id
     )
     select id from moved`,
    [...values, orderId, JSON.stringify([...prices].map(([productId, unitPrice]) => ({ product_id: productId, unit_price: unitPrice })))],
  );
  return rows.length === 1;
}

function assignmentsOf(change: Transition): { assignments: string; values: unknown[] } {
  const entries = Object.entries(change).filter(([, value]) => value !== undefined) as [keyof Transition, unknown][];
  return { assignments: entries.map(([key]) => `${COLUMNS[key]} = ?`).join(', '), values: entries.map(([, value]) => value) };
}

/**
 * A transition that gives the order its final status: PAID, or CANCELLED with its code. Only the
 * caller whose conditional update wins counts the outcome, so racing drivers count an order once.
 */
export async function conclude(
  deps: { em: EntityManager; metrics: SagaMetrics },
  order: { id: string; placedAt: Date },
  from: SagaStep,
  change: Transition & ({ status: 'PAID' } | { status: 'CANCELLED'; cancellationCode: CancellationCode }),
): Promise<Order | null> {
  const won = await transition(deps.em, order.id, from, change);
  if (won) deps.metrics.outcome(change.status === 'PAID' ? 'PAID' : change.cancellationCode, order.placedAt);
  return won;
}

/**
 * Records a customer's or an admin's cancel of a PAID order, with its code and reason, before the
 * shipping subgraph is asked to cancel the shipment: if this process dies once shipping has
 * cancelled it, recovery finds the order at CANCEL_SHIPMENT and finishes the cancel. Only a PAID
 * order not already being cancelled moves (DONE alone would also match a cancelled order), so of
 * concurrent cancels one records and the others drive the recorded one.
 */
export async function recordCancelIntent(em: EntityManager, orderId: string, code: CancellationCode, reason: string): Promise<boolean> {
  const rows = await em.execute<{ id: string }[]>(
    `update customer_order set saga_step = 'CANCEL_SHIPMENT', cancellation_code = ?, cancellation_reason = ?, updated_at = now()
     where id = ? and status = 'PAID' and saga_step <> 'CANCEL_SHIPMENT' returning id`,
    [code, reason, orderId],
  );
  return rows.length === 1;
}

/**
 * Settles a recorded cancel with shipping's answer. A shipment that has left (SHIPPED, DELIVERED)
 * refuses it: the intent is dropped and the order is PAID at CONFIRM (a shipment that left was
 * created at SHIP, and its reservation may not be confirmed yet: CONFIRM comes after SHIP, and
 * confirming an order already confirmed changes nothing). Otherwise the shipment is
 * CANCELLED and the order is cancelled with the recorded code and reason, its refund and stock
 * release left to compensation. Null when another driver settled it first.
 */
export async function settleCancelIntent(
  deps: { em: EntityManager; metrics: SagaMetrics },
  order: { id: string; placedAt: Date },
  shipmentStatus: string,
): Promise<Order | null> {
  if (shipmentStatus === 'SHIPPED' || shipmentStatus === 'DELIVERED') {
    return transition(deps.em, order.id, 'CANCEL_SHIPMENT', { sagaStep: 'CONFIRM', cancellationCode: null, cancellationReason: null });
  }
  const won = await transition(deps.em, order.id, 'CANCEL_SHIPMENT', { status: 'CANCELLED', sagaStep: 'COMPENSATE', needsRefund: true, needsRelease: true });
  if (won) deps.metrics.outcome(won.cancellationCode as CancellationCode, order.placedAt);
  return won;
}
