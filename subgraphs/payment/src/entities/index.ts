import { PaymentSchema } from './Payment.js';

export const entities = [PaymentSchema];
