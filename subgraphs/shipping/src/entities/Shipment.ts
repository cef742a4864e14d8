import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const SHIPMENT_STATUSES = ['PENDING', 'SHIPPED', 'DELIVERED', 'CANCELLED'] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

/** At most one row per order: the unique order id, not application code, is what makes racing
 *  creates give one shipment, and what lets a cancel's marker stop a late create. */
export const ShipmentSchema = defineEntity({
  name: 'Shipment',
  tableName: 'shipment',
  properties: {
    id: p.uuid().primary().defaultRaw('gen_random_uuid()'),
    orderId: p.string().length(64).unique(),
    customerId: p.text().index(),
    status: p.enum([...SHIPMENT_STATUSES]),
    carrier: p.string().length(100).nullable(),
    trackingNumber: p.string().length(100).nullable(),
    shippedAt: p.datetime().columnType('timestamptz').nullable(),
    deliveredAt: p.datetime().columnType('timestamptz').nullable(),
    createdAt: p.datetime().columnType('timestamptz').defaultRaw('now()').onCreate(() => new Date()),
    updatedAt: p.datetime().columnType('timestamptz').defaultRaw('now()').onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

export type Shipment = InferEntity<typeof ShipmentSchema>;
