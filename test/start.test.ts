import { existsSync, rmSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { createTokenVerifier } from '../lib/auth.js';
import { DEMO_CATALOG } from '../scripts/demo-catalog.js';
import { TEST_JWT_SECRET } from './support/auth.js';
import { bearer, gql } from './support/graphql.js';
import { isPortFree, launch, prepareStartRun, type StartProcess, type StartRun } from './support/start-process.js';

const PRODUCTS = `query { products(first: 100) { totalCount edges { node { id name price stock } } } }`;
const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id status paymentStatus shippingStatus lines { product { name } } } }`;
const MY_ORDERS = `query { myOrders { totalCount edges { node { id status } } } }`;

describe('npm start', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let ports: StartRun['ports'];
  let gatewayUrl: string;
  let running: StartProcess | undefined;

  async function stop(run: StartProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    run.signal(signal);
    const code = await run.exited;
    running = undefined;
    return code;
  }

  beforeAll(async () => {
    ({ dataDir, env, ports, gatewayUrl } = await prepareStartRun(TEST_JWT_SECRET));
  });

  afterAll(async () => {
    if (running) await stop(running);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts PostgreSQL, seeds the catalog, serves the supergraph and stops everything on SIGTERM with exit code 0', async () => {
    running = launch(env);
    const tokens = await running.up;
    expect(running.stdout()).toContain(`Playground: http://localhost:${ports.gateway}/`);
    expect(running.stdout()).toContain(`Seeded the demo catalog with ${DEMO_CATALOG.length} products.`);
    expect((await fetch(`http://localhost:${ports.gateway}/ready`)).status).toBe(200);

    const products = await gql(gatewayUrl, PRODUCTS);
    expect(products.data.products.totalCount).toBeGreaterThanOrEqual(12);
    const catalog: { id: string; price: string; stock: number }[] = products.data.products.edges.map((edge: any) => edge.node);
    expect(catalog.some((product) => product.stock === 0)).toBe(true);
    expect(catalog.some((product) => Number(product.price) >= 1000)).toBe(true);

    const verify = createTokenVerifier({ jwtSecret: TEST_JWT_SECRET });
    await expect(verify(`Bearer ${tokens.customer}`)).resolves.toMatchObject({ customerId: 'demo-customer', isAdmin: false });
    await expect(verify(`Bearer ${tokens.admin}`)).resolves.toMatchObject({ customerId: 'demo-admin', isAdmin: true });

    // The saga crosses all four subgraphs: this only succeeds if the peer URLs and the
    // service credential of this run reached the order subgraph.
    const beans = catalog.find((product) => product.stock > 0 && Number(product.price) < 100)!;
    const placed = await gql(gatewayUrl, PLACE, { input: { idempotencyKey: 'start-test', lines: [{ productId: beans.id, quantity: 1 }] } }, bearer(tokens.customer));
    expect(placed.errors).toBeUndefined();
    expect(placed.data.placeOrder).toMatchObject({ status: 'PAID', paymentStatus: 'COMPLETED', shippingStatus: 'PENDING' });

    // The storefront it announces is served where it says.
    const [storefrontLine, storefrontUrl] = await running.printed(/^Storefront: (\S+) .*$/m);
    expect(storefrontLine).toBe(`Storefront: http://localhost:${ports.gateway}/shop/ (sign in with the customer token above)`);
    const storefront = await fetch(storefrontUrl!, { headers: { accept: 'text/html' } });
    expect(storefront.status).toBe(200);
    expect(storefront.headers.get('content-type')).toMatch(/^text\/html/);

    // The playground opens with the printed customer token in every tab's Authorization header.
    const playground = await fetch(`http://localhost:${ports.gateway}/`, { headers: { accept: 'text/html' } });
    expect(playground.status).toBe(200);
    expect(playground.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await playground.text();
    const embedded = /<script id="playground-config" type="application\/json">(.*?)<\/script>/s.exec(page);
    expect(embedded).not.toBeNull();
    const config = JSON.parse(embedded![1]!) as { defaultHeaders: string; tabs: { headers: string }[] };
    const authorization = `Bearer ${tokens.customer}`;
    expect(JSON.parse(config.defaultHeaders)).toEqual({ Authorization: authorization });
    expect(config.tabs.length).toBeGreaterThan(0);
    for (const tab of config.tabs) expect(JSON.parse(tab.headers)).toEqual({ Authorization: authorization });

    expect(await stop(running)).toBe(0);
    for (const port of Object.values(ports)) expect(await isPortFree(port)).toBe(true);
    // PostgreSQL removes its pid file only when it has shut down cleanly.
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  }, 180_000);

  it('reuses the data directory on a second start without seeding the catalog again, and stops on Ctrl-C (SIGINT)', async () => {
    running = launch(env);
    const tokens = await running.up;
    expect(running.stdout()).not.toContain('Seeded the demo catalog');
    expect((await gql(gatewayUrl, PRODUCTS)).data.products.totalCount).toBe(DEMO_CATALOG.length);
    const orders = await gql(gatewayUrl, MY_ORDERS, {}, bearer(tokens.customer));
    expect(orders.data.myOrders.totalCount).toBe(1);
    expect(await stop(running, 'SIGINT')).toBe(0);
    for (const port of Object.values(ports)) expect(await isPortFree(port)).toBe(true);
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  }, 120_000);

  it('refuses a bad LOG_LEVEL in one line naming the variable, before it starts anything', async () => {
    const run = launch({ ...env, LOG_LEVEL: 'verbose' });
    expect(await run.exited).toBe(1);
    expect(run.stderr().trim().split('\n')).toEqual(['npm start failed: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "verbose"']);
    expect(run.stdout()).toBe('');
    expect(await isPortFree(ports.postgres)).toBe(true);
  }, 60_000);

  it('reports a busy port in one line, stops what it had started and exits with 1', async () => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(ports.order, resolve));
    try {
      const run = launch(env);
      expect(await run.exited).toBe(1);
      const problems = run.stderr().split('\n').filter((line) => line.startsWith('npm start failed'));
      expect(problems).toEqual([expect.stringMatching(new RegExp(`^npm start failed: order subgraph \\(ORDER_PORT=${ports.order}\\): .*already in use`))]);
      // Everything it had started before the order subgraph is stopped again.
      for (const [name, port] of Object.entries(ports)) if (name !== 'order') expect(await isPortFree(port)).toBe(true);
      expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  }, 120_000);
});
