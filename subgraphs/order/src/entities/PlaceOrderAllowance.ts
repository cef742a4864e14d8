import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** A customer's placeOrder calls in the current rate-limit window. Written only by the one upsert
 *  in placeOrderRateLimit.ts; declared so the entities and the migrations cannot drift apart. */
export const PlaceOrderAllowanceSchema = defineEntity({
  name: 'PlaceOrderAllowance',
  tableName: 'place_order_allowance',
  properties: {
    customerId: p.text().primary(),
    used: p.integer(),
    windowEndsAt: p.datetime(),
  },
});

export type PlaceOrderAllowance = InferEntity<typeof PlaceOrderAllowanceSchema>;
