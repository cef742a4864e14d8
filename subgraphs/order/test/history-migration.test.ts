import { openDatabase } from '../../../lib/db.js';
import { createTestDatabase } from '../../../test/support/database.js';
import { entities } from '../src/entities/index.js';
import { migrations } from '../src/migrations/index.js';

/** The order history migration copies each existing order's customer, placed time and total
 *  onto its lines, which the product filter reads; a line without them would never be found. */
it('gives the lines of orders placed before it their order\'s customer, placed time and total', async () => {
  const databaseUrl = await createTestDatabase('order_history_migration');
  const before = migrations.findIndex((migration) => migration.name === 'Migration20261204010000');
  const old = await openDatabase({ databaseUrl, entities: [...entities], migrations: migrations.slice(0, before) });
  const orders = [
    ['11111111-1111-4111-8111-111111111111', 'early-1', '2025-03-01T10:00:00.123Z', '12.50'],
    ['22222222-2222-4222-8222-222222222222', 'early-2', '2025-04-01T10:00:00.000Z', null],
  ];
  try {
    for (const [id, customer, placedAt, total] of orders) {
      await old.em.execute(
        `insert into customer_order (id, customer_id, idempotency_key, request_fingerprint, status, saga_step, total_amount, created_at, updated_at)
         values (?, ?, 'k', 'f', 'PAID', 'DONE', ?, ?, ?)`,
        [id, customer, total, placedAt, placedAt],
      );
      await old.em.execute(`insert into order_line (order_id, product_id, position, quantity) values (?, '7', 0, 1), (?, '8', 1, 2)`, [id, id]);
    }
  } finally {
    await old.close();
  }
  const migrated = await openDatabase({ databaseUrl, entities: [...entities], migrations: [...migrations] });
  try {
    const lines = await migrated.em.execute<{ order_id: string; customer_id: string; placed_at: string; order_total: string | null }[]>(
      'select order_id, customer_id, placed_at, order_total from order_line order by order_id, product_id',
    );
    expect(lines.map((line) => [line.order_id, line.customer_id, new Date(line.placed_at).toISOString(), line.order_total])).toEqual(
      orders.flatMap((order) => [order, order]),
    );
  } finally {
    await migrated.close();
  }
});
