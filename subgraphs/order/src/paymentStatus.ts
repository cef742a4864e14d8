import { UnavailableError } from '../../../lib/errors.js';
import { parseMoney } from '../../../lib/money.js';
import { SubgraphCallError } from '../../../lib/subgraph-client.js';
import type { OrderContext } from './context.js';
import type { Order } from './entities/Order.js';
import type { PaymentStatus } from './generated/payment-operations.js';
import type { PaymentAnswer } from './saga/peers.js';

/**
 * An order as placeOrder answers it. The payment subgraph owns Order.paymentStatus; placeOrder
 * provides it (@provides in schema.graphql) from the charge, refund or void answers its saga just
 * got, so the gateway need not ask payment again. Undefined when this request's saga does not
 * know it for sure (it stopped, another driver moved the order, a replay of an existing order).
 */
export type OrderWithPaymentStatus = Order & { paymentStatusFromSaga?: PaymentStatus | null };

/** What the payment subgraph's Order.paymentStatus shows for this payment: the void marker
 *  refundPayment leaves for an order never charged (the only payment with amount 0) is no payment. */
export function shownPaymentStatus(payment: PaymentAnswer | null): PaymentStatus | null {
  return payment && parseMoney(payment.amount) !== 0n ? payment.status : null;
}

/**
 * The order's payment status: the saga's when it knows it, else payment's own answer. Payment not
 * answering fails this field alone with SERVICE_UNAVAILABLE, as the gateway's fetch from payment
 * would (gateway/src/data-source.ts), rather than a wrong null.
 */
export async function paymentStatusOf(order: OrderWithPaymentStatus, { saga }: OrderContext): Promise<PaymentStatus | null> {
  if (order.paymentStatusFromSaga !== undefined) return order.paymentStatusFromSaga;
  try {
    return shownPaymentStatus(await saga.peers.paymentForOrder(order.id, saga.requestId));
  } catch (error) {
    if (!(error instanceof SubgraphCallError && error.transient)) throw error;
    saga.logger.warn({ err: error, orderId: order.id }, 'the payment subgraph did not answer for paymentStatus');
    throw new UnavailableError('The payment service is unavailable; try again shortly');
  }
}
