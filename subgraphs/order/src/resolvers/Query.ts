import { canSeeCustomerData, requireAdmin, requireCustomer } from '../../../../lib/context.js';
import type { OrderContext } from '../context.js';
import type { OrderStatus } from '../entities/Order.js';
import { isOrderId, listOrders, type OrderListFilter } from '../orders.js';

interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export const Query = {
  order: async (_: unknown, { id }: { id: string }, { caller, loaders }: OrderContext) => {
    requireCustomer(caller);
    const order = isOrderId(id) ? await loaders.order.load(id) : null;
    // Someone else's order looks exactly like a missing one.
    return order && canSeeCustomerData(caller, order.customerId) ? order : null;
  },
  myOrders: (_: unknown, args: PageArgs & { status?: OrderStatus | null }, { caller, em }: OrderContext) =>
    listOrders(em, { ...args, filter: { customerId: requireCustomer(caller), status: args.status } }),
  orders: (_: unknown, args: PageArgs & { filter?: OrderListFilter | null }, { caller, em }: OrderContext) => {
    requireAdmin(caller);
    return listOrders(em, { ...args, filter: args.filter ?? {} });
  },
};
