import type { SubscriptionResolvers } from '../generated/resolvers.js';
import type { OrderContext } from '../context.js';
import type { Order } from '../entities/Order.js';
import { myOrderUpdates, orderUpdates } from '../orderUpdates.js';

/** Each event is resolved with loaders of its own: a subscription's context lives as long as the
 *  subscription, and its lines or order must not be answered from an earlier event's cache. */
const freshEvent = (order: Order, context: OrderContext) => {
  context.renewLoaders();
  return order;
};

export const Subscription: SubscriptionResolvers = {
  orderUpdated: {
    subscribe: (_, { id }, context) => orderUpdates(context.updates(), id) as never,
    resolve: (order: Order, _args: unknown, context: OrderContext) => freshEvent(order, context),
  },
  myOrderUpdates: {
    subscribe: (_, _args, context) => myOrderUpdates(context.updates()) as never,
    resolve: (order: Order, _args: unknown, context: OrderContext) => freshEvent(order, context),
  },
};
