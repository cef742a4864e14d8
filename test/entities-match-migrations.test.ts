import type { EntitySchema } from '@mikro-orm/core';
import { openDatabase, type MigrationObject } from '../lib/db.js';
import { entities as orderEntities } from '../subgraphs/order/src/entities/index.js';
import { migrations as orderMigrations } from '../subgraphs/order/src/migrations/index.js';
import { entities as paymentEntities } from '../subgraphs/payment/src/entities/index.js';
import { migrations as paymentMigrations } from '../subgraphs/payment/src/migrations/index.js';
import { entities as productEntities } from '../subgraphs/product/src/entities/index.js';
import { migrations as productMigrations } from '../subgraphs/product/src/migrations/index.js';
import { entities as shippingEntities } from '../subgraphs/shipping/src/entities/index.js';
import { migrations as shippingMigrations } from '../subgraphs/shipping/src/migrations/index.js';
import { createTestDatabase } from './support/database.js';

/**
 * What the migrations build and the entities declare may differ only by what the entities cannot
 * or need not say, each listed here (docs/migrations.md): the statements MikroORM's
 * schema diff proposes to make the database match the entities. All of them drop something the
 * database has on top: check constraints, indexes MikroORM cannot declare (trigram, partial,
 * descending keyset, expression) and foreign keys of ids the entities keep as plain values. A column, type,
 * default, nullability or unique constraint that differs fails the test.
 */
const DOCUMENTED: Record<string, string[]> = {
  product: [
    'alter table "reservation_line" drop constraint "reservation_line_order_id_fkey";',
    'alter table "reservation_line" drop constraint "reservation_line_product_id_fkey";',
    'drop index "product_description_trgm";',
    'drop index "product_in_stock";',
    'drop index "product_name_trgm";',
    'drop index "product_sku_trgm";',
    'alter table "product" drop constraint product_price_positive;',
    'alter table "product" drop constraint product_stock_not_negative;',
    'drop index "reservation_line_product_id";',
    'alter table "reservation_line" drop constraint reservation_line_quantity_check;',
  ],
  payment: ['alter table "payment" drop constraint payment_amount_positive;'],
  shipping: ['alter table "shipment" drop constraint shipment_marker_cancelled;', 'alter table "shipment" drop constraint shipment_shipped_has_tracking;'],
  order: [
    'alter table "order_line" drop constraint "order_line_order_id_fkey";',
    'drop index "customer_order_customer_newest";',
    'drop index "customer_order_customer_total";',
    'drop index "customer_order_newest";',
    'drop index "customer_order_status_newest";',
    'drop index "customer_order_status_total";',
    'drop index "customer_order_total";',
    'drop index "customer_order_unfinished";',
    'drop index "order_line_customer_product_total";',
    'drop index "order_line_product_total";',
    'alter table "order_line" drop constraint order_line_quantity_check;',
  ],
};

const SERVICES: [string, readonly EntitySchema<any, any>[], readonly MigrationObject[]][] = [
  ['product', productEntities, productMigrations],
  ['payment', paymentEntities, paymentMigrations],
  ['shipping', shippingEntities, shippingMigrations],
  ['order', orderEntities, orderMigrations],
];

describe('entities and migrations', () => {
  it.each(SERVICES)('of the %s service agree, but for the documented list', async (name, entities, migrations) => {
    const orm = await openDatabase({ databaseUrl: await createTestDatabase(name), entities: [...entities], migrations: [...migrations] });
    try {
      const diff = await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
      const statements = diff.split('\n').map((line) => line.trim()).filter((line) => line !== '');
      expect(statements).toEqual(DOCUMENTED[name]);
    } finally {
      await orm.close();
    }
  });
});
