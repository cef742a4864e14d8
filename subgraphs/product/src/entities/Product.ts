import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const ProductSchema = defineEntity({
  name: 'Product',
  tableName: 'product',
  properties: {
    id: p.bigint('string').primary().autoincrement().generated('by default as identity'),
    sku: p.string().length(64).unique(),
    name: p.string().length(200),
    description: p.text().nullable(),
    price: p.decimal('string').precision(12).scale(2),
    stock: p.integer(),
    createdAt: p.datetime().columnType('timestamptz').defaultRaw('now()').onCreate(() => new Date()),
    updatedAt: p.datetime().columnType('timestamptz').defaultRaw('now()').onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

export type Product = InferEntity<typeof ProductSchema>;
