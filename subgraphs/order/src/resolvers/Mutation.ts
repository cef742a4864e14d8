import { requireCustomer } from '../../../../lib/context.js';
import { cancelOrder } from '../cancelOrder.js';
import type { OrderContext } from '../context.js';
import { placeOrder, type PlaceOrderInput } from '../placeOrder.js';

export const Mutation = {
  placeOrder: async (_: unknown, { input }: { input: PlaceOrderInput }, { caller, saga, loaders }: OrderContext) => {
    const orderId = await placeOrder(saga, requireCustomer(caller), input);
    return loaders.order.load(orderId);
  },
  cancelOrder: async (_: unknown, { id, reason }: { id: string; reason?: string | null }, { caller, saga, loaders }: OrderContext) => {
    requireCustomer(caller);
    await cancelOrder(saga, caller, id, reason);
    return loaders.order.load(id);
  },
};
