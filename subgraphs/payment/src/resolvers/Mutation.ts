import { requireService } from '../../../../lib/context.js';
import type { PaymentContext } from '../context.js';
import { chargeOnce, refundPayment, type ChargeRequest } from '../charges.js';

export const Mutation = {
  chargePayment: (_: unknown, request: ChargeRequest, { em, caller, processor }: PaymentContext) => {
    requireService(caller);
    return chargeOnce(em, processor, request);
  },
  refundPayment: (_: unknown, { orderId }: { orderId: string }, { em, caller }: PaymentContext) => {
    requireService(caller);
    return refundPayment(em, orderId);
  },
};
