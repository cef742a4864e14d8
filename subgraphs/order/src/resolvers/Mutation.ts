import { requireCustomer, requireService } from '../../../../lib/context.js';
import { canonicalUuid, isUuid } from '../../../../lib/ids.js';
import { announceOrderChange } from '../orderFeed.js';
import { cancelOrder } from '../cancelOrder.js';
import type { OrderContext } from '../context.js';
import type { Order } from '../entities/Order.js';
import type { MutationResolvers } from '../generated/resolvers.js';
import { placeOrder } from '../placeOrder.js';
import type { OrderWithPaymentStatus } from '../paymentStatus.js';

/** Reads the order as the mutation left it, or takes it as the mutation's last write returned
 *  it. An earlier root field of the same operation may have loaded it before the write (a
 *  placeOrder retry returns an existing order), and the request's loaders would answer with
 *  that stale copy. */
function loadWritten({ loaders }: OrderContext, orderId: string, written?: Order) {
  loaders.order.clear(orderId);
  loaders.lines.clear(orderId);
  if (written) loaders.order.prime(orderId, written);
  return loaders.order.load(orderId);
}

export const Mutation: MutationResolvers = {
  placeOrder: async (_, { input }, context) => {
    const customerId = requireCustomer(context.caller);
    // Every call counts against the customer's rate limit, a retry and a bad input too.
    const placed = await placeOrder(context.saga, customerId, input, context.placeOrderRateLimit);
    const order = (await loadWritten(context, placed.id, placed.order))!;
    // A copy, so the status placeOrder provides stays with this field's answer, not the loader's cache.
    return { ...order, paymentStatusFromSaga: placed.paymentStatus } satisfies OrderWithPaymentStatus;
  },
  cancelOrder: async (_, { id, reason }, context) => {
    requireCustomer(context.caller);
    const orderId = canonicalUuid(id);
    await cancelOrder(context.saga, context.caller, orderId, reason);
    return (await loadWritten(context, orderId))!;
  },
  announceOrderChange: (_, { orderId }, { caller, em }) => {
    requireService(caller);
    return isUuid(orderId) ? announceOrderChange(em, canonicalUuid(orderId)) : false;
  },
};
