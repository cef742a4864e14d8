import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '../../../lib/auth.js';
import { canSeeCustomerData } from '../../../lib/context.js';
import { canonicalUuid, isUuid } from '../../../lib/ids.js';
import { parseMoney } from '../../../lib/money.js';
import { everyField } from '../../../lib/db.js';
import { PaymentSchema, type Payment } from './entities/Payment.js';

/** Named, so a missing column fails the read instead of answering null (see everyField). */
export const PAYMENT_FIELDS = everyField(PaymentSchema);

export function paymentForOrder(em: EntityManager, orderId: string): Promise<Payment | null> {
  return em.findOne(PaymentSchema, { orderId: canonicalUuid(orderId) }, { fields: PAYMENT_FIELDS });
}

/** One SELECT for a whole batch of orders, in the order asked, null where an order has no payment. */
export async function findPaymentsByOrderIds(em: EntityManager, orderIds: readonly string[]): Promise<(Payment | null)[]> {
  // Order ids are stored as the saga sends them, UUIDs in lower case (see chargeOnce).
  const keys = orderIds.map(canonicalUuid);
  const rows = keys.length > 0 ? await em.execute<PaymentRow[]>(`select ${PAYMENT_COLUMNS} from payment where order_id in (?)`, [[...new Set(keys)]]) : [];
  const byOrderId = new Map(rows.map((row) => [row.order_id, toPayment(row)]));
  return keys.map((orderId) => byOrderId.get(orderId) ?? null);
}

/** One SELECT for a batch of payment ids; an id that is not a UUID names no payment. */
export async function findPaymentsByIds(em: EntityManager, ids: readonly string[]): Promise<(Payment | null)[]> {
  const valid = ids.filter(isUuid);
  const rows = valid.length > 0 ? await em.execute<PaymentRow[]>(`select ${PAYMENT_COLUMNS} from payment where id in (?)`, [valid]) : [];
  const byId = new Map(rows.map((row) => [row.id, toPayment(row)]));
  return ids.map((id) => byId.get(canonicalUuid(id)) ?? null);
}

/*
 * The batch reads above map rows themselves instead of going through em.find: nothing is written
 * back from them, and MikroORM's hydration and identity map were most of the CPU time of an
 * _entities fetch for a page of orders. Charges and refunds (charges.ts) do not write through the
 * entity either: they are raw conditional SQL (insert ... on conflict do nothing, update ... where
 * status) because the unique order id and those conditions, not a flush, make a charge happen
 * once; toPayment turns the rows they return into Payments, and only their re-reads use em.findOne.
 */
export const PAYMENT_COLUMNS = 'id, order_id, customer_id, amount, status, failure_reason, created_at, updated_at';

export interface PaymentRow {
  id: string;
  order_id: string;
  customer_id: string;
  amount: string;
  status: Payment['status'];
  failure_reason: string | null;
  // MikroORM's driver leaves timestamps as PostgreSQL's text.
  created_at: string;
  updated_at: string;
}

export function toPayment(row: PaymentRow): Payment {
  return {
    id: row.id,
    orderId: row.order_id,
    customerId: row.customer_id,
    amount: row.amount,
    status: row.status,
    failureReason: row.failure_reason,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  } as Payment;
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
