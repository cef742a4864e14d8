import pg from 'pg';
import { PRESENT_COLUMNS_SQL, schemaBehind } from './db.js';
import type { Readiness } from './http.js';

/** Inside the Kubernetes readiness probe's 2 s, with room for the HTTP round trip. */
export const READINESS_TIMEOUT_MS = 1_000;

export interface DatabaseProbe {
  /** True when PostgreSQL answers within the time limit and has every expected column; otherwise
   *  false, or why not when the schema is behind the code. */
  isReady: () => Promise<Readiness>;
  close: () => Promise<void>;
}

/**
 * Asks PostgreSQL over a connection of its own, outside the service's pool. Through the pool a
 * probe waits for a free connection (up to its 5 s acquire limit) whenever every connection is
 * busy, so a burst of slow queries would mark every replica unready at once although each one
 * still serves. A busy pool is not an outage; a database that does not answer is, and so is one
 * without a column the code reads (a migration rolled back or never run): the same round trip
 * reads the schema's columns and compares them with `expectedColumns` (table.column).
 */
export function createDatabaseProbe(databaseUrl: string, expectedColumns: string[] = [], timeoutMs = READINESS_TIMEOUT_MS): DatabaseProbe {
  let client: pg.Client | null = null;
  let checking: Promise<Readiness> | null = null;
  let closed = false;

  const discard = (stale: pg.Client) => {
    if (client === stale) client = null;
    void stale.end().catch(() => undefined);
  };
  const connected = async (): Promise<pg.Client> => {
    if (client) return client;
    const fresh = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
    // A connection that drops between probes (PostgreSQL restarting) must not crash the process.
    fresh.on('error', () => discard(fresh));
    await fresh.connect().catch((error: unknown) => {
      discard(fresh);
      throw error;
    });
    if (closed) {
      discard(fresh);
      throw new Error('the readiness probe is closed');
    }
    return (client = fresh);
  };
  const ask = async (): Promise<Readiness> => {
    const current = await connected();
    let present: { name: string }[];
    try {
      present = (await current.query<{ name: string }>(PRESENT_COLUMNS_SQL)).rows;
    } catch (error) {
      discard(current);
      throw error;
    }
    const have = new Set(present.map((row) => row.name));
    const missing = expectedColumns.filter((column) => !have.has(column));
    return missing.length === 0 ? true : { unavailable: schemaBehind(missing) };
  };
  const check = async (): Promise<Readiness> => {
    const reused = client !== null;
    try {
      return await ask();
    } catch {
      // A kept connection may have died since the last probe while PostgreSQL is back: one
      // fresh try tells the two apart.
      if (!reused || closed) return false;
      return ask().catch(() => false);
    }
  };

  return {
    isReady: async () => {
      // Probes arriving together (several probers, a retrying kubelet) share one round trip, and
      // none waits longer than the time limit, whatever PostgreSQL or the network does.
      const shared = (checking ??= check().finally(() => (checking = null)));
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<Readiness>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
      return Promise.race([shared, late]).finally(() => clearTimeout(timer));
    },
    close: async () => {
      closed = true;
      const last = client;
      client = null;
      await last?.end().catch(() => undefined);
    },
  };
}
