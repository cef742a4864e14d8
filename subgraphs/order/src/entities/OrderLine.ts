import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const OrderLineSchema = defineEntity({
  name: 'OrderLine',
  tableName: 'order_line',
  // Order history filtered by product, in placed-time order; the total-ordered twins index an
  // expression and live in Migration20261204010000 only.
  indexes: [
    { name: 'order_line_product_placed', properties: ['productId', 'placedAt', 'orderId'] },
    { name: 'order_line_customer_product_placed', properties: ['customerId', 'productId', 'placedAt', 'orderId'] },
  ],
  properties: {
    orderId: p.uuid().primary(),
    productId: p.string().length(64).primary(),
    position: p.integer(),
    quantity: p.integer(),
    unitPrice: p.decimal('string').precision(12).scale(2).nullable(),
    // Copies of the order's, so that history filtered by product reads one index in sort order.
    customerId: p.text(),
    placedAt: p.datetime().columnType('timestamptz(3)'),
    orderTotal: p.decimal('string').precision(12).scale(2).nullable(),
  },
});

export type OrderLine = InferEntity<typeof OrderLineSchema>;
