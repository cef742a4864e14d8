import { canonicalUuid } from '../../../../lib/ids.js';
import type { PaymentContext } from '../context.js';
import type { Payment } from '../entities/Payment.js';
import type { OrderResolvers } from '../generated/resolvers.js';
import { paymentVisibleTo } from '../payments.js';

/** The order subgraph owns orders; this one only knows an order by id and adds its payment. */
export interface OrderReference {
  id: string;
}

async function paymentOf({ id }: OrderReference, { loaders, caller }: PaymentContext): Promise<Payment | null> {
  // payment and paymentStatus share the loader, so a page of orders costs one SELECT for both.
  return paymentVisibleTo(caller, await loaders.paymentByOrderId.load(id));
}

export const Order: OrderResolvers = {
  __resolveReference: ({ id }) => ({ id: canonicalUuid(id) }),
  payment: (order, _args, context) => paymentOf(order, context),
  paymentStatus: async (order, _args, context) => (await paymentOf(order, context))?.status ?? null,
};
