import { requireService } from '../../../../lib/context.js';
import type { PaymentContext } from '../context.js';
import { paymentForOrder } from '../payments.js';

export const Query = {
  paymentForOrder: (_: unknown, { orderId }: { orderId: string }, { em, caller }: PaymentContext) => {
    requireService(caller);
    return paymentForOrder(em, orderId);
  },
};
