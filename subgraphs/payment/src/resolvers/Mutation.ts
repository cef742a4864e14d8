import { requireService } from '../../../../lib/context.js';
import type { MutationResolvers } from '../generated/resolvers.js';
import { chargeOnce, refundPayment } from '../charges.js';

export const Mutation: MutationResolvers = {
  chargePayment: (_, request, { em, caller, processor }) => {
    requireService(caller);
    return chargeOnce(em, processor, request);
  },
  refundPayment: (_, { orderId }, { em, caller }) => {
    requireService(caller);
    return refundPayment(em, orderId);
  },
};
