import pg from 'pg';

/** Inside the Kubernetes readiness probe's 2 s, with room for the HTTP round trip. */
export const READINESS_TIMEOUT_MS = 1_000;

export interface DatabaseProbe {
  /** True when PostgreSQL answers `select 1` within the time limit. */
  isReady: () => Promise<boolean>;
  close: () => Promise<void>;
}

/**
 * Asks PostgreSQL over a connection of its own, outside the service's pool. Through the pool a
 * probe waits for a free connection (up to its 5 s acquire limit) whenever every connection is
 * busy, so a burst of slow queries would mark every replica unready at once although each one
 * still serves. A busy pool is not an outage; a database that does not answer is.
 */
export function createDatabaseProbe(databaseUrl: string, timeoutMs = READINESS_TIMEOUT_MS): DatabaseProbe {
  let client: pg.Client | null = null;
  let checking: Promise<boolean> | null = null;
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
  const ask = async (): Promise<void> => {
    const current = await connected();
    try {
      await current.query('select 1');
    } catch (error) {
      discard(current);
      throw error;
    }
  };
  const check = async (): Promise<boolean> => {
    const reused = client !== null;
    try {
      await ask();
      return true;
    } catch {
      // A kept connection may have died since the last probe while PostgreSQL is back: one
      // fresh try tells the two apart.
      if (!reused || closed) return false;
      return ask().then(() => true, () => false);
    }
  };

  return {
    isReady: async () => {
      // Probes arriving together (several probers, a retrying kubelet) share one round trip, and
      // none waits longer than the time limit, whatever PostgreSQL or the network does.
      const shared = (checking ??= check().finally(() => (checking = null)));
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
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
