import type { PaymentContext } from '../context.js';
import { paymentVisibleTo } from '../payments.js';

export const Payment = {
  // Batched like Order.payment, and with the same rule: a customer only resolves their own payments.
  __resolveReference: async ({ id }: { id: string }, { loaders, caller }: PaymentContext) => paymentVisibleTo(caller, await loaders.paymentById.load(id)),
};
