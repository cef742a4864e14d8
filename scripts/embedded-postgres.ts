import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import type { Logger } from '../lib/log.js';
import { loadEmbeddedPostgres } from './reachable-postgres.mjs';

const USER = 'postgres';
const PASSWORD = 'postgres';
const HOST = '127.0.0.1';

export interface LocalPostgresOptions {
  /** The cluster's data directory; created and initialised on first use, reused afterwards. */
  dataDir: string;
  port: number;
  databases: readonly string[];
  logger: Logger;
}

export interface LocalPostgres {
  databaseUrl: (database: string) => string;
  stop: () => Promise<void>;
}

/** Starts a PostgreSQL cluster of its own for `npm start` and makes sure every database exists. */
export async function startLocalPostgres(options: LocalPostgresOptions): Promise<LocalPostgres> {
  const recent: string[] = [];
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const postgres = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; the library then runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    // One address and no Unix socket: a busy port fails loudly instead of PostgreSQL quietly
    // listening on ::1 alone, and no socket file can clash with a system PostgreSQL's.
    postgresFlags: ['-c', `listen_addresses=${HOST}`, '-c', 'unix_socket_directories='],
    onLog: (message) => remember(recent, message, options.logger),
    onError: (error) => remember(recent, String(error), options.logger),
  });

  const isNew = !existsSync(options.dataDir);
  if (!existsSync(join(options.dataDir, 'PG_VERSION'))) {
    try {
      await postgres.initialise();
    } catch {
      // A half-initialised directory would make every later start fail the same way.
      if (isNew) await rm(options.dataDir, { recursive: true, force: true });
      const asRoot = process.getuid?.() === 0 ? ' (running as root, PostgreSQL runs as the postgres user, which needs access to every directory above it)' : '';
      throw new Error(`initdb failed in ${options.dataDir}: ${problemIn(recent) ?? 'no output'}${asRoot}`);
    }
  }
  // Another npm start on the same data, or the PostgreSQL of a run that was killed with -9.
  const holder = runningPostmaster(options.dataDir);
  if (holder !== undefined) {
    throw new Error(`another PostgreSQL (pid ${holder}) is using ${options.dataDir}: stop that npm start, or "kill ${holder}" if it is left over from a killed run`);
  }
  try {
    await postgres.start();
  } catch {
    const busy = recent.some((line) => line.includes('Address already in use'));
    throw new Error(busy ? `port ${options.port} is already in use; stop whatever holds it or choose another port` : `PostgreSQL did not start: ${problemIn(recent) ?? 'no output'}`);
  }

  const stop = async () => {
    // A Ctrl-C in a terminal reaches PostgreSQL too (same process group) and it shuts itself
    // down; the library's stop() would then wait forever for an exit that already happened.
    if (runningPostmaster(options.dataDir) !== undefined) await postgres.stop();
  };
  try {
    await createMissingDatabases(options.port, options.databases);
  } catch (error) {
    await stop();
    throw error;
  }
  return { databaseUrl: (database) => `postgres://${USER}:${PASSWORD}@${HOST}:${options.port}/${database}`, stop };
}

function remember(recent: string[], message: string, logger: Logger): void {
  for (const line of message.split('\n').filter((text) => text.trim() !== '')) {
    logger.debug({ postgres: line }, 'postgres');
    recent.push(line);
  }
  recent.splice(0, recent.length - 50);
}

/** The most telling line of PostgreSQL's or initdb's output, without the timestamp prefix. */
function problemIn(lines: string[]): string | undefined {
  for (const line of [...lines].reverse()) {
    const match = /\b(?:PANIC|FATAL|ERROR|error):\s+(.*)$/.exec(line);
    if (match) return match[1]!.trim();
  }
  return lines.at(-1)?.trim();
}

/** The pid of the PostgreSQL running on this data directory, if any: it writes postmaster.pid
 *  when it starts and removes it on a clean stop; a crash leaves the file with a dead pid. */
function runningPostmaster(dataDir: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return undefined;
  }
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
}

async function createMissingDatabases(port: number, databases: readonly string[]): Promise<void> {
  const client = new pg.Client({ host: HOST, port, user: USER, password: PASSWORD, database: 'postgres' });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>('select datname from pg_database where datname = any($1)', [databases]);
    const existing = new Set(rows.map((row) => row.datname));
    for (const name of databases) {
      if (!existing.has(name)) await client.query(`create database ${client.escapeIdentifier(name)}`);
    }
  } finally {
    await client.end();
  }
}
