import { canSeeCustomerData } from '../../../../lib/context.js';
import { canonicalUuid, isUuid } from '../../../../lib/ids.js';
import type { OrderResolvers } from '../generated/resolvers.js';

export const Order: OrderResolvers = {
  __resolveReference: async ({ id }, { caller, loaders }) => {
    const order = isUuid(id) ? await loaders.order.load(canonicalUuid(id)) : null;
    return order && canSeeCustomerData(caller, order.customerId) ? order : null;
  },
  lines: (order, _, { loaders }) => loaders.lines.load(order.id),
  totalAmount: (order) => order.totalAmount ?? '0.00',
};
