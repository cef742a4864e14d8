import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { SUBGRAPHS } from '../../lib/subgraphs.js';
import type { SystemDatabases } from '../../scripts/invariants.js';

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

/** A fresh database for every subgraph of the registry (lib/subgraphs.ts), by subgraph name. */
export async function createSubgraphDatabases(serverUrl = process.env.TEST_POSTGRES_URL): Promise<SystemDatabases & Record<string, string>> {
  const urls = await Promise.all(SUBGRAPHS.map(async ({ name, database }) => [name, await createTestDatabase(database, serverUrl)] as const));
  return Object.fromEntries(urls) as SystemDatabases & Record<string, string>;
}
