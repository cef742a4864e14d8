import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const ORDER_STATUSES = ['PENDING', 'PAID', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Where the placeOrder saga stands; persisted before every call to another service so that
 *  whoever drives the order next (the same request, a retry, recovery) knows what may be pending.
 *  SHIP: the order is PAID and its shipment is still to be created. CANCEL_SHIPMENT: the order is
 *  PAID, a cancel is recorded (its code and reason already in the cancellation columns) and
 *  shipping is still to answer whether the shipment could be cancelled. */
export const SAGA_STEPS = ['RESERVE', 'CHARGE', 'CONFIRM', 'SHIP', 'CANCEL_SHIPMENT', 'COMPENSATE', 'DONE'] as const;
export type SagaStep = (typeof SAGA_STEPS)[number];

export const OrderSchema = defineEntity({
  name: 'Order',
  tableName: 'customer_order',
  // placeOrder's insert ... on conflict relies on it: one order per customer and key.
  uniques: [{ name: 'customer_order_idempotency', properties: ['customerId', 'idempotencyKey'] }],
  properties: {
    id: p.uuid().primary(),
    customerId: p.text(),
    idempotencyKey: p.string().length(128),
    requestFingerprint: p.string().length(64),
    status: p.enum([...ORDER_STATUSES]),
    sagaStep: p.enum([...SAGA_STEPS]),
    needsRefund: p.boolean().default(false),
    needsRelease: p.boolean().default(false),
    totalAmount: p.decimal('string').precision(12).scale(2).nullable(),
    cancellationCode: p.string().length(32).nullable(),
    cancellationReason: p.text().nullable(),
    leaseOwner: p.string().length(64).nullable(),
    leaseUntil: p.datetime().columnType('timestamptz(3)').nullable(),
    createdAt: p.datetime().columnType('timestamptz(3)').defaultRaw('now()'),
    updatedAt: p.datetime().columnType('timestamptz(3)').defaultRaw('now()'),
  },
});

export type Order = InferEntity<typeof OrderSchema>;
