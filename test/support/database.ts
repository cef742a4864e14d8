import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Creates a fresh, empty database in the run's PostgreSQL server and returns its URL. */
export async function createTestDatabase(prefix: string, serverUrl = process.env.TEST_POSTGRES_URL): Promise<string> {
  if (!serverUrl) throw new Error('TEST_POSTGRES_URL is not set: run the tests through jest (npm test)');
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: `${serverUrl}/postgres` });
  await client.connect();
  try {
    await client.query(`create database "${name}"`);
  } finally {
    await client.end();
  }
  return `${serverUrl}/${name}`;
}
