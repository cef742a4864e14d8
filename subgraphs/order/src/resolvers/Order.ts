import { canSeeCustomerData } from '../../../../lib/context.js';
import type { OrderContext } from '../context.js';
import type { Order as OrderRow } from '../entities/Order.js';
import { isOrderId } from '../orders.js';

export const Order = {
  __resolveReference: async ({ id }: { id: string }, { caller, loaders }: OrderContext) => {
    const order = isOrderId(id) ? await loaders.order.load(id) : null;
    return order && canSeeCustomerData(caller, order.customerId) ? order : null;
  },
  lines: (order: OrderRow, _: unknown, { loaders }: OrderContext) => loaders.lines.load(order.id),
  totalAmount: (order: OrderRow) => order.totalAmount ?? '0.00',
};
