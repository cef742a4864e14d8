import type { RunningServer } from '../../lib/http.js';
import { createLogger } from '../../lib/log.js';
import { readMetric } from '../../lib/metrics.js';
import { buildPaymentServer } from '../../subgraphs/payment/src/server.js';
import { buildProductServer } from '../../subgraphs/product/src/server.js';
import { buildShippingServer } from '../../subgraphs/shipping/src/server.js';
import { adminToken, customerToken, testAuth, TEST_JWT_SECRET, TEST_SERVICE_CREDENTIAL } from '../support/auth.js';
import { createSubgraphDatabases } from '../support/database.js';
import { bearer, gql } from '../support/graphql.js';
import { startGateProxy } from '../support/gate-proxy.js';
import { rows } from '../../scripts/invariants.js';
import { checkInvariants, unfinishedOrders, type SystemDatabases } from '../support/invariants.js';
import { spawnService, waitFor } from '../support/processes.js';

const TRIALS = Number(process.env.CRASH_TRIALS ?? 3);
const quiet = createLogger('test', 'silent');

let product: RunningServer;
let payment: RunningServer;
let shipping: RunningServer;
let databases: SystemDatabases;
const initialStock = new Map<string, number>();
const productIds: string[] = [];

const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id status } }`;

beforeAll(async () => {
  databases = await createSubgraphDatabases();
  shipping = await startShipping(0);
  product = await buildProductServer({ port: 0, databaseUrl: databases.product, ...testAuth }, quiet);
  // A slow processor keeps charges in flight long enough to kill the order subgraph during one.
  payment = await buildPaymentServer(
    { port: 0, databaseUrl: databases.payment, ...testAuth, processor: { declineThreshold: '1000.00', latencyMs: 600, failureRate: 0 } },
    quiet,
  );
  const admin = bearer(await adminToken());
  for (const [price, stock] of [['5.00', 1000], ['7.50', 1000], ['3.00', 4], ['1200.00', 50]] as const) {
    const created = await gql(product.url, `mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }`, {
      input: { sku: `CRASH-${price}`, name: `Crash ${price}`, price, stock },
    }, admin);
    const id = created.data.createProduct.id as string;
    productIds.push(id);
    initialStock.set(id, stock);
  }
});
afterAll(async () => {
  await Promise.all([product.stop(), payment.stop(), shipping.stop()]);
});

function startShipping(port: number): Promise<RunningServer> {
  return buildShippingServer({ port, databaseUrl: databases.shipping, ...testAuth }, quiet);
}

function orderEnv(): Record<string, string> {
  return {
    DATABASE_URL: databases.order,
    PRODUCT_URL: product.url,
    PAYMENT_URL: payment.url,
    SHIPPING_URL: shipping.url,
    JWT_SECRET: TEST_JWT_SECRET,
    SERVICE_CREDENTIAL: TEST_SERVICE_CREDENTIAL,
    RECOVERY_GRACE_MS: '300',
    RECOVERY_INTERVAL_MS: '200',
    RECOVERY_LEASE_MS: '10000',
    SAGA_RETRY_BASE_MS: '20',
  };
}

/** Fires orders at the order subgraph without waiting: some will be cut off by the kill. */
async function fireOrders(url: string, count: number, tag: string): Promise<Promise<unknown>[]> {
  const requests: Promise<unknown>[] = [];
  for (let i = 0; i < count; i += 1) {
    const token = await customerToken(`crash-${tag}-${i}`);
    const productId = productIds[i % productIds.length]!;
    const input = { idempotencyKey: `${tag}-${i}`, lines: [{ productId, quantity: 1 + (i % 2) }] };
    requests.push(gql(url, PLACE, { input }, bearer(token)).catch(() => 'cut off'));
  }
  return requests;
}

async function allFinished(): Promise<void> {
  await waitFor('every order to be finished', async () => (await unfinishedOrders(databases.order)) === 0, 30_000, 100);
}

describe('crash recovery of the placeOrder saga', () => {
  it(`finishes every order and keeps the invariants after kill -9 of the order subgraph mid-saga (${TRIALS} trials)`, async () => {
    let stuckTotal = 0;
    for (let trial = 0; trial < TRIALS; trial += 1) {
      const order = await spawnService('order', orderEnv());
      const requests = await fireOrders(order.url, 6, `trial-${trial}`);
      await new Promise((resolve) => setTimeout(resolve, 150 + ((trial * 211) % 700)));
      await order.kill('SIGKILL');
      await Promise.all(requests);
      stuckTotal += await unfinishedOrders(databases.order);
      const restarted = await spawnService('order', orderEnv());
      await allFinished();
      const report = await checkInvariants(databases, initialStock);
      expect(report.violations).toEqual([]);
      await restarted.kill();
    }
    const report = await checkInvariants(databases, initialStock);
    console.info(`crash trials: ${TRIALS}, orders checked: ${report.orders} (${report.paid} PAID, ${report.cancelled} CANCELLED), left mid-saga by the kills: ${stuckTotal}, violations: ${report.violations.length}`);
    expect(stuckTotal).toBeGreaterThan(0);
  }, 30_000 + TRIALS * 20_000);

  it('lets two replicas recover the same stuck orders, each order driven by exactly one', async () => {
    const order = await spawnService('order', orderEnv());
    const requests = await fireOrders(order.url, 12, 'replicas');
    // A charge takes the processor 600 ms: an order seen unfinished is mid-saga when the kill lands.
    await waitFor('an order to be mid-saga', async () => (await unfinishedOrders(databases.order)) > 0, 10_000, 10);
    await order.kill('SIGKILL');
    await Promise.all(requests);
    const stuck = await unfinishedOrders(databases.order);
    expect(stuck).toBeGreaterThan(0);

    const replicas = await Promise.all([spawnService('order', orderEnv()), spawnService('order', orderEnv())]);
    await allFinished();
    const recoveredBy = () =>
      replicas.map(
        (replica) =>
          new Set(
            replica.logs
              .filter((line) => line.startsWith('{'))
              .map((line) => JSON.parse(line) as { msg?: string; orderId?: string })
              .filter((entry) => entry.msg === 'recovered order')
              .map((entry) => entry.orderId!),
          ),
      );
    // A replica logs the order after its last transition commits, and the line then crosses a
    // pipe: the database can say finished before the log does.
    await waitFor('each recovered order in a replica log', async () => recoveredBy().reduce((sum, ids) => sum + ids.size, 0) >= stuck, 10_000, 50);
    const [first, second] = recoveredBy() as [Set<string>, Set<string>];
    expect([...first].filter((id) => second.has(id))).toEqual([]);
    expect(first.size + second.size).toBe(stuck);
    expect((await checkInvariants(databases, initialStock)).violations).toEqual([]);
    // Each replica counts the orders it recovered, all finished: the peers were up.
    const metrics = await Promise.all(replicas.map(async (replica) => (await fetch(replica.url.replace('/graphql', '/metrics'))).text()));
    expect(metrics.map((text) => readMetric(text, 'order_saga_recoveries_total'))).toEqual([first.size, second.size]);
    for (const text of metrics) expect(text).not.toMatch(/^order_saga_recoveries_total\{[^}]*result="(pending|failed)"/m);
    await Promise.all(replicas.map((replica) => replica.kill()));
  });

  it('confirms the paid orders whose confirm batch was lost: kill -9 of the order subgraph with orders at CONFIRM', async () => {
    // The batch waits an hour or for 100 orders: every paid order is at CONFIRM when the kill lands.
    const order = await spawnService('order', { ...orderEnv(), CONFIRM_BATCH_DELAY_MS: '3600000', CONFIRM_BATCH_SIZE: '100' });
    const answers = (await Promise.all(await fireOrders(order.url, 6, 'confirm-cut'))) as { data?: { placeOrder: { id: string; status: string } } }[];
    const paid = answers.flatMap((answer) => (answer.data?.placeOrder.status === 'PAID' ? [answer.data.placeOrder.id] : []));
    expect(paid.length).toBeGreaterThan(0);
    const steps = await rows<{ saga_step: string }>(databases.order, 'select saga_step from customer_order where id = any($1)', [paid]);
    expect(steps.map((row) => row.saga_step)).toEqual(paid.map(() => 'CONFIRM'));
    await order.kill('SIGKILL');

    const restarted = await spawnService('order', orderEnv());
    await allFinished();
    const reservations = await rows<{ status: string }>(databases.product, 'select status from reservation where order_id = any($1)', [paid]);
    expect(reservations.map((row) => row.status)).toEqual(paid.map(() => 'CONFIRMED'));
    expect((await checkInvariants(databases, initialStock)).violations).toEqual([]);
    await restarted.kill();
  });

  it('creates the shipment of orders cut off between PAID and their shipment: kill -9 of the order subgraph, then shipping down and back', async () => {
    // The shipping subgraph creates the shipments, but its answers are held: each order waits PAID at SHIP.
    const gate = await startGateProxy(shipping.url, /createShipment/);
    const order = await spawnService('order', { ...orderEnv(), SHIPPING_URL: gate.url });
    const requests = await fireOrders(order.url, 6, 'shipment-cut');
    await gate.held;
    await order.kill('SIGKILL');
    await Promise.all(requests);
    await gate.stop();
    const paidAtShip = async () =>
      Number((await rows<{ count: string }>(databases.order, `select count(*) as count from customer_order where status = 'PAID' and saga_step = 'SHIP'`))[0]!.count);
    const cutOff = await paidAtShip();
    expect(cutOff).toBeGreaterThan(0);

    // Shipping goes away too: recovery keeps the orders PAID at SHIP, never fails or cancels them.
    const port = shipping.port;
    await shipping.stop();
    const restarted = await spawnService('order', orderEnv());
    const pendingRecoveries = async () => readMetric(await (await fetch(restarted.url.replace('/graphql', '/metrics'))).text(), 'order_saga_recoveries_total', { result: 'pending' });
    await waitFor('recovery to try the shipments while shipping is down', async () => (await pendingRecoveries()) >= cutOff, 20_000);
    expect(await paidAtShip()).toBeGreaterThanOrEqual(cutOff);

    shipping = await startShipping(port);
    await allFinished();
    const report = await checkInvariants(databases, initialStock);
    console.info(`shipment crash trial: ${cutOff} orders cut off PAID before their shipment, orders checked: ${report.orders} (${report.paid} PAID), violations: ${report.violations.length}`);
    expect(report.violations).toEqual([]);
    await restarted.kill();
  });
});
