import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildGateway } from '../../gateway/src/server.js';
import type { RunningServer } from '../../lib/http.js';
import { createLogger } from '../../lib/log.js';
import { readMetric } from '../../lib/metrics.js';
import { buildOrderServer } from '../../subgraphs/order/src/server.js';
import { testAuth, TEST_SERVICE_CREDENTIAL } from '../support/auth.js';
import { createTestDatabase } from '../support/database.js';
import { errorCodes, gql } from '../support/graphql.js';
import { captureLogs } from '../support/log-capture.js';
import { freePort, isReady, waitFor } from '../support/processes.js';
import { Shopper } from '../support/shop.js';
import { startSystem, type RunningSystem } from '../support/system.js';

const quiet = createLogger('test', 'silent');
const running: { stop: () => Promise<void> }[] = [];
afterEach(async () => {
  for (const item of running.splice(0).reverse()) await item.stop();
});

const MY_ORDERS = `query MyOrders { myOrders { totalCount } }`;
const PRODUCTS = `query Products { products(first: 3) { totalCount } }`;
const STOCK_DESCRIPTION = `query StockDoc { __type(name: "Product") { fields { name description } } }`;

async function stockDescription(url: string): Promise<string | undefined> {
  const { data } = await gql(url, STOCK_DESCRIPTION);
  return data?.__type.fields.find((field: { name: string }) => field.name === 'stock')?.description;
}

describe('the gateway', () => {
  it('starts while a subgraph is down, fails only that subgraph\'s fields with SERVICE_UNAVAILABLE, and serves them once it is back', async () => {
    const system: RunningSystem = await startSystem();
    running.push(system);
    await system.order.stop();
    // A gateway of its own, started while nothing listens where the order subgraph should be.
    const orderPort = await freePort();
    const orderUrl = `http://127.0.0.1:${orderPort}/graphql`;
    const gateway: RunningServer = await buildGateway(
      {
        port: 0,
        supergraphPath: 'schema/supergraph.graphql',
        subgraphUrls: { ...system.subgraphUrls, order: orderUrl },
        auth: testAuth.auth,
      },
      quiet,
    );
    running.push(gateway);
    expect(await isReady(gateway.url)).toBe(true);
    const customer = await Shopper.customer(gateway.url, 'while-down');

    expect((await customer.request(PRODUCTS)).errors).toBeUndefined();
    const down = await customer.request(MY_ORDERS);
    expect(errorCodes(down)).toEqual(['SERVICE_UNAVAILABLE']);
    expect(down.errors![0]!.message).toMatch(/order service is unavailable/);

    const order = await buildOrderServer(
      {
        port: orderPort,
        databaseUrl: await createTestDatabase('order'),
        ...testAuth,
        saga: { productUrl: system.product.url, paymentUrl: system.payment.url, shippingUrl: system.shipping.url, serviceCredential: TEST_SERVICE_CREDENTIAL, callTimeoutMs: 5_000, chargeRetries: 2, retryBaseDelayMs: 20 },
        recovery: { graceMs: 30_000, intervalMs: 10_000, leaseMs: 60_000, batchSize: 20 },
      },
      quiet,
    );
    running.push(order);
    const back = await customer.request(MY_ORDERS);
    expect(back.errors).toBeUndefined();
    expect(back.data.myOrders.totalCount).toBe(0);
  });

  it('counts each subgraph fetch by its outcome: failed when nothing answers, http_error when the subgraph refuses', async () => {
    const system: RunningSystem = await startSystem();
    running.push(system);
    // Nothing listens on the order address; the product address is a real server's path that is not GraphQL (404).
    const gateway: RunningServer = await buildGateway(
      {
        port: 0,
        supergraphPath: 'schema/supergraph.graphql',
        subgraphUrls: { ...system.subgraphUrls, order: `http://127.0.0.1:${await freePort()}/graphql`, product: system.product.url.replace('/graphql', '/not-graphql') },
        auth: testAuth.auth,
      },
      quiet,
    );
    running.push(gateway);
    const customer = await Shopper.customer(gateway.url, 'outcomes');
    expect(errorCodes(await customer.request(MY_ORDERS))).toEqual(['SERVICE_UNAVAILABLE']);
    // The refusal's own code and reason reach the client (errorFromAnswer), one fetch per request.
    for (let i = 0; i < 2; i++) expect(errorCodes(await customer.request(PRODUCTS))).toEqual(['NOT_FOUND']);

    const metrics = await (await fetch(gateway.url.replace('/graphql', '/metrics'))).text();
    const fetches = (subgraph: string, outcome: string) => readMetric(metrics, 'gateway_subgraph_fetch_duration_seconds_count', { subgraph, outcome });
    expect({ order: [fetches('order', 'failed'), fetches('order', 'http_error'), fetches('order', 'ok')] }).toEqual({ order: [1, 0, 0] });
    expect({ product: [fetches('product', 'failed'), fetches('product', 'http_error'), fetches('product', 'ok')] }).toEqual({ product: [0, 2, 0] });
  });

  it('picks up a changed supergraph file while requests run, without failing any of them', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'supergraph-reload-'));
    running.push({ stop: async () => rmSync(directory, { recursive: true, force: true }) });
    const path = join(directory, 'supergraph.graphql');
    const original = readFileSync('schema/supergraph.graphql', 'utf8');
    const described = (text: string) => original.replace('"""Units available to order now."""', `"""${text}"""`);
    expect(described('changed')).not.toBe(original);
    writeFileSync(path, original);
    const logs = captureLogs();
    const system = await startSystem({ gateway: { supergraphPath: path }, logs: logs.stream, logLevel: 'info' });
    running.push(system);
    const customer = await Shopper.customer(system.gatewayUrl, 'reload');
    expect(await stockDescription(system.gatewayUrl)).toBe('Units available to order now.');

    // Four clients keep asking (reads across two subgraphs) until every change has been seen.
    const failures: unknown[] = [];
    let answered = 0;
    let changing = true;
    const client = async () => {
      for (let i = 0; changing && i < 20_000; i += 1) {
        const response = await customer.request(`query Loop { myOrders { totalCount } products(first: 2) { edges { node { id stock } } } }`).catch((error: unknown) => ({ status: 0, errors: [error] }));
        if (response.status !== 200 || response.errors) failures.push(response.errors ?? response.status);
        answered += 1;
      }
    };
    const clients = [client(), client(), client(), client()];

    // An editor's save: a new file renamed over the old one.
    writeFileSync(`${path}.tmp`, described('Units available to order now (first change).'));
    renameSync(`${path}.tmp`, path);
    await waitFor('the first change to be served', async () => (await stockDescription(system.gatewayUrl)) === 'Units available to order now (first change).');
    // A file that does not compose leaves the running supergraph in place...
    writeFileSync(path, 'this is not a supergraph');
    await waitFor('the gateway to refuse the broken file', async () => logs.lines.some((line) => line.name === 'gateway' && /could not be loaded/.test(line.msg)));
    expect(await stockDescription(system.gatewayUrl)).toBe('Units available to order now (first change).');
    // ...and the next good one (written in place this time) is served.
    writeFileSync(path, described('Units available to order now (second change).'));
    await waitFor('the second change to be served', async () => (await stockDescription(system.gatewayUrl)) === 'Units available to order now (second change).');

    changing = false;
    await Promise.all(clients);
    expect(failures).toEqual([]);
    expect(answered).toBeGreaterThan(0);
  });
});
