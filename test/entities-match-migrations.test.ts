import type { EntitySchema } from '@mikro-orm/core';
import { openDatabase, type MigrationObject } from '../lib/db.js';
import { SUBGRAPHS } from '../lib/subgraphs.js';
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

/** A subgraph's entities and migrations, loaded from its folder as its service.ts loads them. */
async function schemaOf(name: string): Promise<{ entities: readonly EntitySchema<any, any>[]; migrations: readonly MigrationObject[] }> {
  const { entities } = (await import(`../subgraphs/${name}/src/entities/index.js`)) as { entities: readonly EntitySchema<any, any>[] };
  const { migrations } = (await import(`../subgraphs/${name}/src/migrations/index.js`)) as { migrations: readonly MigrationObject[] };
  return { entities, migrations };
}

describe('entities and migrations', () => {
  // Every subgraph of the registry, so one added there is checked with no edit here; a difference
  // its migrations have from its entities fails until it is listed above.
  it.each(SUBGRAPHS.map(({ name }) => name))('of the %s service agree, but for the documented list', async (name) => {
    const { entities, migrations } = await schemaOf(name);
    const orm = await openDatabase({ databaseUrl: await createTestDatabase(name), entities: [...entities], migrations: [...migrations] });
    try {
      const diff = await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
      const statements = diff.split('\n').map((line) => line.trim()).filter((line) => line !== '');
      expect(statements).toEqual(DOCUMENTED[name] ?? []);
    } finally {
      await orm.close();
    }
  });

  it('lists differences only for subgraphs of the registry', () => {
    expect(Object.keys(DOCUMENTED).filter((name) => !SUBGRAPHS.some((entry) => entry.name === name))).toEqual([]);
  });
});
