import type { PaymentContext } from '../context.js';
import type { Payment } from '../entities/Payment.js';
import { paymentVisibleTo } from '../payments.js';

interface OrderReference {
  id: string;
}

/** The order subgraph owns orders; this one only knows an order by id and adds its payment. */
async function paymentOf({ id }: OrderReference, { loaders, caller }: PaymentContext): Promise<Payment | null> {
  // payment and paymentStatus share the loader, so a page of orders costs one SELECT for both.
  return paymentVisibleTo(caller, await loaders.paymentByOrderId.load(id));
}

export const Order = {
  __resolveReference: ({ id }: OrderReference): OrderReference => ({ id }),
  payment: (order: OrderReference, _args: unknown, context: PaymentContext) => paymentOf(order, context),
  paymentStatus: async (order: OrderReference, _args: unknown, context: PaymentContext) => (await paymentOf(order, context))?.status ?? null,
};
