import { requireService } from '../../../../lib/context.js';
import type { QueryResolvers } from '../generated/resolvers.js';
import { paymentForOrder } from '../payments.js';

export const Query: QueryResolvers = {
  paymentForOrder: (_, { orderId }, { em, caller }) => {
    requireService(caller);
    return paymentForOrder(em, orderId);
  },
};
