import type { EntityManager } from '@mikro-orm/postgresql';
import { BadInputError, ConflictError } from '../../../lib/errors.js';
import { canonicalUuid } from '../../../lib/ids.js';
import { formatMoney, parseMoney } from '../../../lib/money.js';
import { PaymentSchema, type Payment, type PaymentStatus } from './entities/Payment.js';
import { isVoidedBeforeCharge, PAYMENT_COLUMNS, PAYMENT_FIELDS, toPayment, type PaymentRow } from './payments.js';
import { askProcessor, simulateTransientFailure, type ProcessorConfig } from './processor.js';

export interface ChargeRequest {
  orderId: string;
  customerId: string;
  amount: string;
}

const VOIDED_BEFORE_CHARGE = 'Voided before any charge';
const VOIDED_IN_FLIGHT = 'Voided before the processor answered';

/**
 * Charges an order at most once, whatever is retried or raced. The PENDING row is claimed with
 * an insert that the unique order id turns into a no-op for every later or concurrent call, so
 * they all end up returning the same payment. A PENDING row (just claimed, raced, or left by a
 * crash) is finished by asking the processor, which is deterministic per order; the answer is
 * applied only while the row is still PENDING, so a void that got there first wins.
 */
export async function chargeOnce(em: EntityManager, processor: ProcessorConfig, request: ChargeRequest): Promise<Payment> {
  const charge = validCharge(request);
  simulateTransientFailure(processor);
  const [inserted] = await em.execute<PaymentRow[]>(
    `insert into payment (order_id, customer_id, amount, status) values (?, ?, ?, 'PENDING') on conflict (order_id) do nothing returning ${PAYMENT_COLUMNS}`,
    [charge.orderId, charge.customerId, charge.amount],
  );
  const payment = inserted ? toPayment(inserted) : await readPayment(em, charge.orderId);
  if (!inserted) assertSameCharge(payment, charge);
  if (payment.status !== 'PENDING') return payment;
  const answer = await askProcessor(processor, charge.amount);
  const [settled] = await em.execute<PaymentRow[]>(
    `update payment set status = ?, failure_reason = ?, updated_at = now() where order_id = ? and status = 'PENDING' returning ${PAYMENT_COLUMNS}`,
    [answer.status, answer.failureReason, charge.orderId],
  );
  // No row: a void got there first, and its answer stands.
  return settled ? toPayment(settled) : readPayment(em, charge.orderId);
}

/**
 * Gives a completed payment's money back, or voids a charge that has not finished. Voiding an
 * order with no payment leaves a FAILED marker with amount 0, so a charge whose request was
 * delayed past the saga's give-up cannot take money for a cancelled order. Idempotent: FAILED
 * and REFUNDED payments come back unchanged.
 */
export async function refundPayment(em: EntityManager, requestedOrderId: string): Promise<Payment> {
  const orderId = validOrderId(requestedOrderId);
  return em.transactional(async (tx) => {
    // The customer is unknown when nothing was charged; '' matches no caller, so only the
    // service and admins can read the marker.
    await tx.execute(
      `insert into payment (order_id, customer_id, amount, status, failure_reason) values (?, '', 0, 'FAILED', ?) on conflict (order_id) do nothing`,
      [orderId, VOIDED_BEFORE_CHARGE],
    );
    // Locked so a charge's answer and this refund cannot both apply; the row exists, inserted above if need be.
    const [current] = await tx.execute<{ status: PaymentStatus }[]>(`select ${PAYMENT_COLUMNS} from payment where order_id = ? for update`, [orderId]);
    const next = refundTransition(current!.status);
    if (!next) return tx.map(PaymentSchema, current!);
    const [updated] = await tx.execute(
      `update payment set status = ?, failure_reason = coalesce(?, failure_reason), updated_at = now() where order_id = ? returning ${PAYMENT_COLUMNS}`,
      [next.status, next.failureReason, orderId],
    );
    return tx.map(PaymentSchema, updated!);
  });
}

function refundTransition(status: PaymentStatus): { status: PaymentStatus; failureReason: string | null } | null {
  if (status === 'COMPLETED') return { status: 'REFUNDED', failureReason: null };
  if (status === 'PENDING') return { status: 'FAILED', failureReason: VOIDED_IN_FLIGHT };
  return null;
}

async function readPayment(em: EntityManager, orderId: string): Promise<Payment> {
  return em.findOneOrFail(PaymentSchema, { orderId }, { refresh: true, fields: PAYMENT_FIELDS });
}

function assertSameCharge(payment: Payment, charge: ChargeRequest): void {
  if (isVoidedBeforeCharge(payment)) return;
  if (parseMoney(payment.amount) !== parseMoney(charge.amount) || payment.customerId !== charge.customerId) {
    throw new ConflictError(`Order ${charge.orderId} already has a charge of ${formatMoney(parseMoney(payment.amount))} for another amount or customer`);
  }
}

function validCharge(request: ChargeRequest): ChargeRequest {
  const orderId = validOrderId(request.orderId);
  // Any customer id the services accept from a token; '' is reserved for the void marker.
  if (request.customerId.trim() === '') throw new BadInputError('customerId must not be blank');
  const cents = parseMoney(request.amount);
  if (cents <= 0n) throw new BadInputError('amount must be greater than 0');
  return { ...request, orderId, amount: formatMoney(cents) };
}

/** The order id as it is stored: a UUID in lower case whatever case it came in, so that one
 *  order can never have two payment rows (the unique order id is what makes a charge happen once). */
function validOrderId(orderId: string): string {
  if (orderId.length === 0 || orderId.length > 64) throw new BadInputError('orderId must be 1 to 64 characters');
  return canonicalUuid(orderId);
}
