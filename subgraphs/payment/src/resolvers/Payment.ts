import type { PaymentResolvers } from '../generated/resolvers.js';
import { paymentVisibleTo } from '../payments.js';

export const Payment: PaymentResolvers = {
  // Batched like Order.payment, and with the same rule: a customer only resolves their own payments.
  __resolveReference: async ({ id }, { loaders, caller }) => paymentVisibleTo(caller, await loaders.paymentById.load(id)),
};
