import { requireService } from '../../../../lib/context.js';
import type { QueryResolvers } from '../generated/resolvers.js';
import { shipmentForOrder } from '../shipments.js';

export const Query: QueryResolvers = {
  shipmentForOrder: (_, { orderId }, { em, caller }) => {
    requireService(caller);
    return shipmentForOrder(em, orderId);
  },
};
