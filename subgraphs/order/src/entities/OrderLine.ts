import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const OrderLineSchema = defineEntity({
  name: 'OrderLine',
  tableName: 'order_line',
  properties: {
    orderId: p.uuid().primary(),
    productId: p.string().length(64).primary(),
    position: p.integer(),
    quantity: p.integer(),
    unitPrice: p.decimal('string').precision(12).scale(2).nullable(),
  },
});

export type OrderLine = InferEntity<typeof OrderLineSchema>;
