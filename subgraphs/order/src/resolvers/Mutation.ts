import { requireCustomer } from '../../../../lib/context.js';
import { cancelOrder } from '../cancelOrder.js';
import type { MutationResolvers } from '../generated/resolvers.js';
import { placeOrder } from '../placeOrder.js';

export const Mutation: MutationResolvers = {
  placeOrder: async (_, { input }, { caller, saga, loaders }) => {
    const orderId = await placeOrder(saga, requireCustomer(caller), input);
    return (await loaders.order.load(orderId))!;
  },
  cancelOrder: async (_, { id, reason }, { caller, saga, loaders }) => {
    requireCustomer(caller);
    await cancelOrder(saga, caller, id, reason);
    return (await loaders.order.load(id))!;
  },
};
