import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SUBGRAPHS } from '../../lib/subgraphs.js';
import { errorCodes } from '../support/graphql.js';
import { checkSettledInvariants, unfinishedOrders } from '../support/invariants.js';
import { freePort, startPostgresProcess, waitFor } from '../support/processes.js';
import { Shopper } from '../support/shop.js';
import { startSystem, type RunningSystem } from '../support/system.js';

let system: RunningSystem;
let postgres: { url: string; stop: () => Promise<void> };
const dataDir = mkdtempSync(join(tmpdir(), 'supergraph-restart-pg-'));
let port: number;

async function readiness(): Promise<number[]> {
  return Promise.all(
    Object.values(system.subgraphs).map(async (server) => (await fetch(server.url.replace('/graphql', '/ready'))).status),
  );
}

beforeAll(async () => {
  port = await freePort();
  postgres = await startPostgresProcess(dataDir, port);
  system = await startSystem({ postgresUrl: postgres.url });
});
afterAll(async () => {
  await system.stop();
  await postgres.stop();
});

describe('PostgreSQL restarting under the running services', () => {
  it('answers 503 on /ready and a clear error while it is down, and recovers on its own', async () => {
    const admin = await Shopper.admin(system.gatewayUrl);
    const customer = await Shopper.customer(system.gatewayUrl, 'restart-customer');
    const productId = await admin.createProduct({ price: '4.00', stock: 20 });
    expect((await customer.placeOrder([{ productId, quantity: 1 }])).data.placeOrder.status).toBe('PAID');
    expect(await readiness()).toEqual(SUBGRAPHS.map(() => 200));
    // The paid order's reservation is confirmed in a batch after it answered: settled before the
    // outage, as a batch the outage cut off is left to recovery's grace (30 s here).
    await waitFor('the paid order to be DONE', async () => (await unfinishedOrders(system.databases.order)) === 0, 20_000, 20);

    await postgres.stop();
    await waitFor('every subgraph to report not ready', async () => (await readiness()).every((status) => status === 503), 20_000);
    const browse = await customer.request(`{ products(first: 5) { totalCount } }`);
    expect(errorCodes(browse)).toEqual(['SERVICE_UNAVAILABLE']);
    expect(browse.errors?.[0]?.message).toMatch(/database is unavailable/);
    const place = await customer.placeOrder([{ productId, quantity: 1 }]);
    expect(errorCodes(place)).toEqual(['SERVICE_UNAVAILABLE']);

    postgres = await startPostgresProcess(dataDir, port);
    await waitFor('every subgraph to be ready again', async () => (await readiness()).every((status) => status === 200), 30_000);
    await waitFor('products to be served again', async () => !(await customer.request(`{ products { totalCount } }`)).errors, 10_000);
    expect((await customer.placeOrder([{ productId, quantity: 2 }])).data.placeOrder.status).toBe('PAID');
    expect((await checkSettledInvariants(system.databases, new Map([[productId, 20]]))).violations).toEqual([]);
  });
});
