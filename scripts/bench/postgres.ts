import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './processes.js';
import { loadEmbeddedPostgres } from '../reachable-postgres.mjs';

export interface BenchPostgres {
  databaseUrl: (database: string) => string;
  stop: () => Promise<void>;
}

/**
 * A fresh PostgreSQL cluster for one bench run, thrown away afterwards, so every run starts
 * from the same seeded data. It keeps PostgreSQL's default durability (fsync, synchronous
 * commit): placeOrder's numbers are what a real deployment on this disk would see.
 */
export async function startBenchPostgres(databases: readonly string[]): Promise<BenchPostgres> {
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'supergraph-bench-pg-'));
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const postgres = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    // PostgreSQL refuses to run as root; the library then runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    onLog: () => {},
  });
  await postgres.initialise();
  await postgres.start();
  const url = (database: string) => `postgres://postgres:postgres@127.0.0.1:${port}/${database}`;
  const client = new pg.Client({ connectionString: url('postgres') });
  await client.connect();
  try {
    for (const name of databases) await client.query(`create database ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
  return {
    databaseUrl: url,
    stop: async () => {
      await postgres.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
