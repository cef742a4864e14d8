import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { signDevToken } from '../../lib/auth.js';
import { rows as query, stockSnapshot, type SystemDatabases } from '../invariants.js';
import { startClients, type ClientLoad } from './failover-clients.js';
import { freePort, startChild, type ChildServer } from './processes.js';
import { reportReplicaLoss, type ReplicaLossReport } from './replica-loss-report.js';
import type { Build } from './services.js';

export interface ReplicaLossSettings {
  root: string;
  build: Build;
  databases: SystemDatabases;
  /** Concurrent customers, half starting on each gateway. */
  customers: number;
  /** Orders finished through the doomed replica's gateway before it is killed. */
  ordersBeforeKill: number;
  /** Orders finished after the kill before the load stops. */
  ordersAfterKill: number;
  /** Laid over every service's environment (the bench runs them with NODE_ENV=production). */
  env?: Record<string, string>;
  /** The whole run's budget: past it the run fails with where it stood (phase, unfinished orders,
   *  clients mid-key, what each server printed) rather than being cut off by a caller's limit. */
  budgetMs?: number;
}

type Say = (line: string) => void;

export type { ReplicaLossReport };

async function until(what: string, condition: () => boolean | Promise<boolean>, deadline: number): Promise<void> {
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Two gateways, each in front of its own order replica, and one product, payment and shipping subgraph,
 * each a process of its own on one PostgreSQL. Customers place orders steadily through both
 * gateways; order replica A is killed with SIGKILL and never restarted; its customers move to
 * gateway B. Then every order must end PAID or CANCELLED (B's recovery finishing A's), no order
 * charged twice, stock conserved, and every error a client saw one the contract names.
 */
export async function runReplicaLoss(settings: ReplicaLossSettings, say: Say = () => undefined): Promise<ReplicaLossReport> {
  const started: ChildServer[] = [];
  const timeline: string[] = [];
  const begun = performance.now();
  const sayAndKeep: Say = (line) => {
    timeline.push(`${((performance.now() - begun) / 1000).toFixed(1)} s ${line}`);
    say(line);
  };
  const state: RunState = { deadline: begun + (settings.budgetMs ?? 30 * 60_000), started, timeline };
  try {
    return await run(settings, sayAndKeep, state);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${await describeStall(settings.databases, state)}`, { cause: error });
  } finally {
    state.load?.stop();
    await Promise.all(started.map((server) => server.stop()));
  }
}

interface RunState {
  /** performance.now() past which every wait gives up. */
  deadline: number;
  started: ChildServer[];
  timeline: string[];
  prefix?: string;
  load?: ClientLoad;
}

/** Where a failed run stood, for its error message: a stall must say which phase, order and client. */
async function describeStall(databases: SystemDatabases, state: RunState): Promise<string> {
  const unfinished = state.prefix
    ? await query<Record<string, unknown>>(
        databases.order,
        `select id, customer_id, idempotency_key, status, saga_step, lease_owner is not null as leased, lease_until, updated_at, now() as now
         from customer_order where saga_step <> 'DONE' and customer_id like $1 order by updated_at limit 20`,
        [`${state.prefix}%`],
      ).catch((error: Error) => [{ error: error.message }])
    : [];
  const waiting = state.load ? [...state.load.current.values()].map((key) => `${key.customerId}/${key.key} attempt ${key.attempts} on gateway ${'AB'[key.gateway]} since ${key.since}`) : [];
  return [
    `timeline:\n  ${state.timeline.join('\n  ')}`,
    `unfinished orders (20 at most): ${JSON.stringify(unfinished)}`,
    `clients mid-key: ${waiting.join('; ') || 'none'}`,
    `answers: ${JSON.stringify({ keys: state.load?.keys.length, answeredThrough: state.load?.answeredThrough, errors: Object.fromEntries(state.load?.errorCodes ?? []) })}`,
    ...state.started.map((server) => `${server.name} printed:\n${server.output().slice(-3_000)}`),
  ].join('\n');
}

async function run(settings: ReplicaLossSettings, say: Say, state: RunState): Promise<ReplicaLossReport> {
  const { databases } = settings;
  const { started, deadline } = state;
  const secrets = { JWT_SECRET: randomBytes(32).toString('base64url'), SERVICE_CREDENTIAL: randomBytes(32).toString('base64url') };
  const start = async (name: string, service: 'gateway' | 'product' | 'payment' | 'shipping' | 'order', env: Record<string, string>) => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/graphql`;
    const server = await startChild(name, settings.build.entry(service), { LOG_LEVEL: 'warn', ...secrets, ...settings.env, ...env, PORT: String(port) }, url.replace('/graphql', '/ready'));
    started.push(server);
    return { url, server };
  };
  say('Starting the product, payment and shipping subgraphs, two order replicas and two gateways ...');
  const [product, payment, shipping] = await Promise.all([
    start('product', 'product', { DATABASE_URL: databases.product }),
    // A charge takes a moment, so orders are mid-saga when the replica dies.
    start('payment', 'payment', { DATABASE_URL: databases.payment, PAYMENT_LATENCY_MS: '300' }),
    start('shipping', 'shipping', { DATABASE_URL: databases.shipping }),
  ]);
  const orderEnv = {
    DATABASE_URL: databases.order,
    PRODUCT_URL: product.url,
    PAYMENT_URL: payment.url,
    SHIPPING_URL: shipping.url,
    // Recovery takes over an order untouched for 2 s (far above a live saga here) and looks every 250 ms.
    RECOVERY_GRACE_MS: '2000',
    RECOVERY_INTERVAL_MS: '250',
    RECOVERY_LEASE_MS: '10000',
    // Each customer places far more than the default 60 a minute.
    PLACE_ORDER_RATE_LIMIT: '1000000',
  };
  const orders = await Promise.all([start('order A', 'order', orderEnv), start('order B', 'order', orderEnv)]);
  const gateways = await Promise.all(
    orders.map((order, index) =>
      start(`gateway ${'AB'[index]}`, 'gateway', {
        SUPERGRAPH_PATH: join(settings.root, 'schema', 'supergraph.graphql'),
        PRODUCT_URL: product.url,
        PAYMENT_URL: payment.url,
        SHIPPING_URL: shipping.url,
        ORDER_URL: order.url,
        GATEWAY_WORKERS: '1',
      }),
    ),
  );

  const prefix = `loss-${randomBytes(3).toString('hex')}-`;
  state.prefix = prefix;
  const productIds = await seedProducts(product.url, await signDevToken(secrets.JWT_SECRET, { sub: 'replica-loss-admin', admin: true }));
  const initialStock = new Map([...(await stockSnapshot(databases.product))].filter(([id]) => productIds.includes(id)));
  const customers = await Promise.all(
    Array.from({ length: settings.customers }, async (_, i) => {
      const home = i % 2;
      const id = `${prefix}${'ab'[home]}-${i}`;
      return { id, home, token: await signDevToken(secrets.JWT_SECRET, { sub: id, ttlSeconds: 3600 }) };
    }),
  );

  let killed = false;
  let releaseFailover!: () => void;
  const failoverAllowed = new Promise<void>((resolve) => (releaseFailover = resolve));
  say(`Placing orders from ${settings.customers} customers through both gateways ...`);
  const load: ClientLoad = startClients({ gateways: gateways.map((gateway) => gateway.url), customers, productIds, mayFailOver: () => failoverAllowed, killed: () => killed });
  state.load = load;
  const answered = () => load.answeredThrough.reduce((sum, count) => sum + count, 0);
  await until(`${settings.ordersBeforeKill} orders through gateway A`, () => load.answeredThrough[0]! >= settings.ordersBeforeKill, deadline);

  killed = true;
  await orders[0]!.server.kill('SIGKILL');
  // Gateway A's customers wait (failoverAllowed) before going to B, so every unfinished order of
  // theirs was left by the dead replica.
  const stranded = await query<{ id: string }>(databases.order, `select id from customer_order where saga_step <> 'DONE' and customer_id like $1`, [`${prefix}a-%`]);
  releaseFailover();
  const answeredAtKill = answered();
  say(`Killed order replica A with SIGKILL after ${answeredAtKill} orders; ${stranded.length} of its orders were mid-saga.`);
  await until(`${settings.ordersAfterKill} orders after the kill`, () => answered() - answeredAtKill >= settings.ordersAfterKill, deadline);
  say(`${settings.ordersAfterKill} orders answered after the kill; letting the clients finish their keys ...`);
  load.stop();
  let clientsDone = false;
  void load.done.then(() => (clientsDone = true));
  await until('the clients to finish their keys', () => clientsDone, deadline);
  say('Waiting for every order to be finished ...');
  await until('every order to be finished', async () => (await query(databases.order, `select 1 from customer_order where saga_step <> 'DONE' and customer_id like $1`, [`${prefix}%`])).length === 0, Math.min(deadline, performance.now() + 120_000)).catch(() => undefined);
  say('Checking the outcome ...');
  return reportReplicaLoss(databases, load, prefix, stranded.map((row) => row.id), initialStock);
}

/** Plenty of two cheap products, a scarce one (OUT_OF_STOCK races) and one the processor declines. */
async function seedProducts(productUrl: string, adminToken: string): Promise<string[]> {
  const ids: string[] = [];
  for (const [price, stock] of [['5.00', 1_000_000], ['7.50', 1_000_000], ['3.00', 12], ['1200.00', 1_000_000]] as const) {
    const response = await fetch(productUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({
        query: 'mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }',
        variables: { input: { sku: `LOSS-${randomBytes(4).toString('hex')}`, name: `Replica loss ${price}`, price, stock } },
      }),
    });
    const body = (await response.json()) as { data?: { createProduct: { id: string } } };
    if (!body.data) throw new Error(`creating a product failed: ${JSON.stringify(body)}`);
    ids.push(body.data.createProduct.id);
  }
  return ids;
}
