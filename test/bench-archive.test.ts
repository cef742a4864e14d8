import pg from 'pg';
import { openDatabase } from '../lib/db.js';
import { removeArchive, topUpArchive } from '../scripts/bench/seed.js';
import { entities } from '../subgraphs/order/src/entities/index.js';
import { migrations } from '../subgraphs/order/src/migrations/index.js';
import { createTestDatabase } from './support/database.js';

/** The bench's count rows top the order history up to a size and take the archive out again. */
describe("the bench's order archive", () => {
  it('tops the history up to a total, behind every order already there, and comes out whole', async () => {
    const url = await createTestDatabase('archive');
    const orm = await openDatabase({ databaseUrl: url, entities: [...entities], migrations: [...migrations] });
    await orm.close();
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      const counts = async () => (await db.query(`select (select count(*) from customer_order)::int as orders, (select count(*) from order_line)::int as lines, (select max(created_at) from customer_order) as newest`)).rows[0];
      await db.query(
        `insert into customer_order (id, customer_id, idempotency_key, request_fingerprint, status, saga_step, total_amount, created_at, updated_at)
         values (gen_random_uuid(), 'c-1', 'k-1', 'f', 'PAID', 'DONE', 1.00, now() - interval '90 days', now())`,
      );
      const seeded = await counts();
      expect(await topUpArchive(url, 300)).toBe(300);
      expect(await topUpArchive(url, 1_200)).toBe(1_200);
      expect(await counts()).toEqual({ orders: 1_200, lines: 2 * 1_199, newest: seeded.newest });
      await removeArchive(url);
      expect(await counts()).toEqual(seeded);
    } finally {
      await db.end();
    }
  });
});
