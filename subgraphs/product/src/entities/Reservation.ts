import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const RESERVATION_STATUSES = ['RESERVED', 'CONFIRMED', 'RELEASED', 'REJECTED'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

/** One row per order that ever asked for stock: the order id is the primary key, which is
 *  what makes reserve, release and confirm idempotent per order. */
export const ReservationSchema = defineEntity({
  name: 'Reservation',
  tableName: 'reservation',
  properties: {
    orderId: p.string().length(64).primary(),
    status: p.enum([...RESERVATION_STATUSES]),
    rejection: p.string().length(32).nullable(),
    reason: p.text().nullable(),
    createdAt: p.datetime().columnType('timestamptz').defaultRaw('now()').onCreate(() => new Date()),
    updatedAt: p.datetime().columnType('timestamptz').defaultRaw('now()').onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

export type Reservation = InferEntity<typeof ReservationSchema>;
