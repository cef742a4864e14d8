import { EntitySchema } from '@mikro-orm/postgresql';
import { Migration } from '@mikro-orm/migrations';
import pg from 'pg';
import { createTestDatabase } from '../../test/support/database.js';
import { waitFor } from '../../test/support/processes.js';
import { openDatabase } from '../db.js';

const Thing = new EntitySchema<{ id: number }>({ name: 'Thing', tableName: 'thing', properties: { id: { type: 'number', primary: true } } });

class MigrationThatFails extends Migration {
  override async up(): Promise<void> {
    this.addSql('select * from a_table_that_is_not_there');
  }
}

/** Connections open to `databaseUrl`'s database, other than the one asking. */
async function connectionsTo(databaseUrl: string): Promise<number> {
  const name = new URL(databaseUrl).pathname.slice(1);
  const client = new pg.Client({ connectionString: databaseUrl.replace(/\/[^/]+$/, '/postgres') });
  await client.connect();
  try {
    return Number((await client.query('select count(*) from pg_stat_activity where datname = $1', [name])).rows[0].count);
  } finally {
    await client.end();
  }
}

describe('openDatabase', () => {
  it('closes its connection pool when a migration fails, and passes the failure on', async () => {
    const databaseUrl = await createTestDatabase('db_migration_fails');
    const opening = openDatabase({ databaseUrl, entities: [Thing], migrations: [{ name: 'Migration20990101000000', class: MigrationThatFails }] });
    await expect(opening).rejects.toThrow(/a_table_that_is_not_there/);
    // An idle pooled connection would stay for the pool's 10 s idle timeout: it must be gone at once.
    await waitFor('the pool to close its connections', async () => (await connectionsTo(databaseUrl)) === 0, 3_000);
  });
});
