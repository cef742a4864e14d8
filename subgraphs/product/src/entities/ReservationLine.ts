import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** A reserved line with the unit price snapshotted at reservation time. */
export const ReservationLineSchema = defineEntity({
  name: 'ReservationLine',
  tableName: 'reservation_line',
  properties: {
    orderId: p.string().length(64).primary(),
    productId: p.bigint('string').primary(),
    quantity: p.integer(),
    unitPrice: p.decimal('string').precision(12).scale(2),
  },
});

export type ReservationLine = InferEntity<typeof ReservationLineSchema>;
