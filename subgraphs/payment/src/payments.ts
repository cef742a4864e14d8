import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '../../../lib/auth.js';
import { canSeeCustomerData } from '../../../lib/context.js';
import { parseMoney } from '../../../lib/money.js';
import { PaymentSchema, type Payment } from './entities/Payment.js';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function paymentForOrder(em: EntityManager, orderId: string): Promise<Payment | null> {
  return em.findOne(PaymentSchema, { orderId });
}

/** One SELECT for a whole batch of orders, in the order asked, null where an order has no payment. */
export async function findPaymentsByOrderIds(em: EntityManager, orderIds: readonly string[]): Promise<(Payment | null)[]> {
  const rows = await em.find(PaymentSchema, { orderId: { $in: [...orderIds] } });
  const byOrderId = new Map(rows.map((row) => [row.orderId, row]));
  return orderIds.map((orderId) => byOrderId.get(orderId) ?? null);
}

/** One SELECT for a batch of payment ids; an id that is not a UUID names no payment. */
export async function findPaymentsByIds(em: EntityManager, ids: readonly string[]): Promise<(Payment | null)[]> {
  const valid = ids.filter((id) => UUID_PATTERN.test(id));
  const rows = valid.length > 0 ? await em.find(PaymentSchema, { id: { $in: valid } }) : [];
  const byId = new Map(rows.map((row) => [row.id.toLowerCase(), row]));
  return ids.map((id) => byId.get(id.toLowerCase()) ?? null);
}

/**
 * What a caller may see through the public Order and Payment types: customers only their own
 * payments. A void marker is not shown at all: no charge was attempted, so the order has no payment.
 */
export function paymentVisibleTo(caller: Caller, payment: Payment | null): Payment | null {
  if (!payment || isVoidedBeforeCharge(payment)) return null;
  return canSeeCustomerData(caller, payment.customerId) ? payment : null;
}

/** The FAILED marker refundPayment leaves for an order voided before any charge: the only row
 *  with amount 0, since every real charge is positive. */
export function isVoidedBeforeCharge(payment: Payment): boolean {
  return parseMoney(payment.amount) === 0n;
}
