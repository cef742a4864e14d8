import { canSeeCustomerData } from '../../../../lib/context.js';
import { canonicalUuid, isUuid } from '../../../../lib/ids.js';
import type { CancellationCode, OrderResolvers } from '../generated/resolvers.js';
import { paymentStatusOf } from '../paymentStatus.js';

export const Order: OrderResolvers = {
  __resolveReference: async ({ id }, { caller, loaders }) => {
    const order = isUuid(id) ? await loaders.order.load(canonicalUuid(id)) : null;
    return order && canSeeCustomerData(caller, order.customerId) ? order : null;
  },
  lines: (order, _, { loaders }) => loaders.lines.load(order.id),
  totalAmount: (order) => order.totalAmount ?? '0.00',
  // A PAID order holds its recorded cancel's code and reason while shipping settles it (saga step
  // CANCEL_SHIPMENT): they are the order's only once it is CANCELLED.
  cancellationCode: (order) => (order.status === 'CANCELLED' ? ((order.cancellationCode as CancellationCode | null | undefined) ?? null) : null),
  // Asked of this subgraph only where placeOrder provides it (@provides); payment owns the field.
  paymentStatus: (order, _, context) => paymentStatusOf(order, context),
  cancellationReason: (order) => (order.status === 'CANCELLED' ? (order.cancellationReason ?? null) : null),
};
