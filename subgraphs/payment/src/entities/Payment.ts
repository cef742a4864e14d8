import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const PAYMENT_STATUSES = ['PENDING', 'COMPLETED', 'FAILED', 'REFUNDED'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** At most one row per order: the unique order id, not application code, is what guarantees
 *  an order is charged once however often or concurrently the saga retries. */
export const PaymentSchema = defineEntity({
  name: 'Payment',
  tableName: 'payment',
  properties: {
    id: p.uuid().primary().defaultRaw('gen_random_uuid()'),
    orderId: p.string().length(64).unique(),
    customerId: p.text().index(),
    amount: p.decimal('string').precision(12).scale(2),
    status: p.enum([...PAYMENT_STATUSES]),
    failureReason: p.text().nullable(),
    createdAt: p.datetime().columnType('timestamptz').defaultRaw('now()').onCreate(() => new Date()),
    updatedAt: p.datetime().columnType('timestamptz').defaultRaw('now()').onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

export type Payment = InferEntity<typeof PaymentSchema>;
