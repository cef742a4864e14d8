import pg from 'pg';
import type { Logger } from '../../../lib/log.js';

/** The channel the order table's triggers announce on (Migration20261207000000). */
export const ORDER_CHANGED_CHANNEL = 'order_changed';

/**
 * What a watcher is told: an order changed, or (after the feed's connection was lost and found
 * again, when announcements may have been missed) that anything may have changed since `since`.
 */
export type FeedSignal = { orderId: string } | { resync: true; since: Date };

export interface OrderFeed {
  watchOrder(orderId: string, onSignal: (signal: FeedSignal) => void): () => void;
  watchCustomer(customerId: string, onSignal: (signal: FeedSignal) => void): () => void;
  /** Resolves once announcements are heard; false when that did not happen within `timeoutMs`. A
   *  subscription reads its first state only after this, or a change in between would be missed. */
  listening(timeoutMs: number): Promise<boolean>;
  stop(): Promise<void>;
}

type Watchers = Map<string, Set<(signal: FeedSignal) => void>>;

function add(watchers: Watchers, key: string, onSignal: (signal: FeedSignal) => void): () => void {
  let set = watchers.get(key);
  if (!set) watchers.set(key, (set = new Set()));
  set.add(onSignal);
  return () => {
    set.delete(onSignal);
    if (set.size === 0) watchers.delete(key);
  };
}

/**
 * One LISTEN connection per order process, opened with the first watcher: every replica hears
 * every change committed by any replica. A lost connection (PostgreSQL restarted, a network cut)
 * is opened again with backoff, and every watcher is then told to read again what may have
 * changed meanwhile, since an announcement made while nobody listened is gone.
 */
export function createOrderFeed(databaseUrl: string, logger: Logger): OrderFeed {
  const byOrder: Watchers = new Map();
  const byCustomer: Watchers = new Map();
  let client: pg.Client | undefined;
  let connecting: Promise<void> | undefined;
  let stopped = false;
  let lostAt: Date | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let failures = 0;

  const dispatch = (payload: string | undefined) => {
    let change: { id?: unknown; customerId?: unknown };
    try {
      change = JSON.parse(payload ?? '') as typeof change;
    } catch {
      return;
    }
    if (typeof change.id !== 'string') return;
    const signal = { orderId: change.id };
    for (const onSignal of byOrder.get(change.id) ?? []) onSignal(signal);
    if (typeof change.customerId === 'string') for (const onSignal of byCustomer.get(change.customerId) ?? []) onSignal(signal);
  };

  const resyncAll = (since: Date) => {
    const signal = { resync: true as const, since };
    for (const set of [...byOrder.values(), ...byCustomer.values()]) for (const onSignal of set) onSignal(signal);
  };

  const lose = (listening: pg.Client, error?: unknown) => {
    if (client !== listening) return;
    client = undefined;
    void listening.end().catch(() => undefined);
    if (stopped) return;
    lostAt ??= new Date();
    logger.warn({ err: error }, 'the order change feed lost its database connection; listening again');
    scheduleConnect();
  };

  const scheduleConnect = () => {
    if (stopped || retryTimer) return;
    const delay = Math.min(5_000, 100 * 2 ** Math.min(failures, 6));
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void connect();
    }, delay);
    retryTimer.unref();
  };

  const connect = () =>
    (connecting ??= (async () => {
      const listening = new pg.Client({ connectionString: databaseUrl, keepAlive: true, application_name: 'order-change-feed' });
      listening.on('error', (error) => lose(listening, error));
      listening.on('end', () => lose(listening));
      listening.on('notification', (message) => dispatch(message.payload));
      try {
        await listening.connect();
        await listening.query(`listen ${ORDER_CHANGED_CHANNEL}`);
        if (stopped) return void (await listening.end().catch(() => undefined));
        client = listening;
        failures = 0;
        if (lostAt) {
          // A little before the loss: a change committed just as the connection went may not have reached us.
          const since = new Date(lostAt.getTime() - 1_000);
          lostAt = undefined;
          logger.info('the order change feed is listening again');
          resyncAll(since);
        }
      } catch (error) {
        failures += 1;
        void listening.end().catch(() => undefined);
        lostAt ??= new Date();
        if (failures === 1) logger.warn({ err: error }, 'the order change feed cannot listen yet; retrying');
        scheduleConnect();
      }
    })().finally(() => (connecting = undefined)));

  const ensureListening = () => {
    if (!client && !connecting && !retryTimer && !stopped) void connect();
  };

  return {
    watchOrder(orderId, onSignal) {
      ensureListening();
      return add(byOrder, orderId, onSignal);
    },
    watchCustomer(customerId, onSignal) {
      ensureListening();
      return add(byCustomer, customerId, onSignal);
    },
    async listening(timeoutMs) {
      ensureListening();
      const deadline = performance.now() + timeoutMs;
      while (!client && !stopped && performance.now() < deadline) {
        await (connecting ?? new Promise((resolve) => setTimeout(resolve, 50)));
        if (!client && !connecting) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return client !== undefined;
    },
    async stop() {
      stopped = true;
      clearTimeout(retryTimer);
      await connecting;
      const listening = client;
      client = undefined;
      await listening?.end().catch(() => undefined);
    },
  };
}

/** Announces a change made elsewhere (a shipment moved) as the table's trigger announces its own;
 *  false when there is no such order. */
export async function announceOrderChange(em: { execute: (sql: string, params: unknown[]) => Promise<unknown[]> }, orderId: string): Promise<boolean> {
  const rows = await em.execute(
    `select pg_notify('${ORDER_CHANGED_CHANNEL}', json_build_object('id', o.id, 'customerId', o.customer_id)::text) from customer_order o where o.id = ?`,
    [orderId],
  );
  return rows.length > 0;
}
