import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kind, parse, print } from 'graphql';
import type { Gateway } from '../scripts/bench/services.js';
import { startHive, writeSupergraph } from '../scripts/bench/peers.js';
import { seedDemoCatalog } from '../scripts/demo-catalog.js';
import { loadExamples } from '../gateway/src/playground/examples.js';
import { adminToken, customerToken } from './support/auth.js';
import { allPayloads, mergePayloads, requestDeferred } from './support/incremental.js';
import { startSystem, type RunningSystem } from './support/system.js';

/**
 * The committed supergraph is not only ours to run: Hive Gateway, started on it in front of the
 * same subgraphs, must give the same answers to the operations the README and the playground
 * show. Each operation goes to our gateway first, then to Hive Gateway; the mutations are
 * idempotent by design (the same idempotency key, cancelling a cancelled order), so the second
 * answer must equal the first.
 */
const root = fileURLToPath(new URL('..', import.meta.url));

let system: RunningSystem;
let hive: Gateway;
let dir: string;
let customer: string;

beforeAll(async () => {
  system = await startSystem();
  await seedDemoCatalog(system.product.url, await adminToken());
  dir = mkdtempSync(join(tmpdir(), 'hive-gateway-test-'));
  const supergraph = writeSupergraph(root, system.subgraphs, join(dir, 'supergraph.graphql'));
  hive = await startHive({ kind: 'hive', name: 'Hive Gateway', rustPlanner: false }, root, supergraph, 1);
  customer = `Bearer ${await customerToken('hive-comparison')}`;
}, 120_000);
afterAll(async () => {
  await hive?.stop();
  await system?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function ask(url: string, query: string, variables: Record<string, unknown>, operationName?: string): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    // JSON only: Hive Gateway answers @defer in multipart parts to any client that takes them (*/* too).
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: customer },
    body: JSON.stringify({ query, variables, operationName }),
  });
  return { status: response.status, body: await response.json() };
}

/** Sends one operation to both gateways and returns our answer once Hive Gateway's equals it. */
async function bothAnswer(query: string, variables: Record<string, unknown>, operationName?: string): Promise<any> {
  const ours = (await ask(system.gatewayUrl, query, variables, operationName)) as { status: number; body: { errors?: unknown } };
  expect(ours).toEqual({ status: 200, body: { data: expect.anything() } });
  expect(await ask(hive.url, query, variables, operationName)).toEqual(ours);
  return ours.body;
}

/** The ```graphql blocks of the README, one entry per operation. */
function readmeOperations(): Map<string, string> {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const operations = new Map<string, string>();
  for (const [, block] of readme.matchAll(/```graphql\n([\s\S]*?)```/g)) {
    for (const definition of parse(block!).definitions) {
      if (definition.kind === Kind.OPERATION_DEFINITION) operations.set(definition.name!.value, print(definition));
    }
  }
  return operations;
}

it("answers the playground's example operations as our gateway does", async () => {
  const [browse, place, read, orderPage, mine, cancel] = loadExamples().map(({ query, variables }) => ({ query, variables: JSON.parse(variables) as Record<string, unknown> }));
  expect((await bothAnswer(browse!.query, browse!.variables)).data.products.totalCount).toBeGreaterThan(0);
  const placed = await bothAnswer(place!.query, place!.variables);
  expect(placed.data.placeOrder.status).toBe('PAID');
  const id = placed.data.placeOrder.id as string;
  expect((await bothAnswer(read!.query, { id })).data.order.lines.length).toBeGreaterThan(0);
  const deferred = async (url: string) => mergePayloads(await allPayloads(await requestDeferred(url, orderPage!.query, { id }, { authorization: customer })));
  const ourOrderPage = await deferred(system.gatewayUrl);
  expect(ourOrderPage.order.shipment.status).toBe('PENDING');
  expect(await deferred(hive.url)).toEqual(ourOrderPage);
  expect((await bothAnswer(mine!.query, mine!.variables)).data.myOrders.totalCount).toBe(1);
  expect((await bothAnswer(cancel!.query, { ...cancel!.variables, id })).data.cancelOrder.status).toBe('CANCELLED');
});

it('answers the README example operations as our gateway does', async () => {
  const operations = readmeOperations();
  expect([...operations.keys()]).toEqual(['Browse', 'Place', 'Order', 'Cancel', 'Mine', 'History']);
  await bothAnswer(operations.get('Browse')!, {});
  const placed = await bothAnswer(operations.get('Place')!, {});
  const id = placed.data.placeOrder.id as string;
  expect((await bothAnswer(operations.get('Order')!, { id })).data.order.payment.status).toBe('COMPLETED');
  expect((await bothAnswer(operations.get('Cancel')!, { id })).data.cancelOrder.paymentStatus).toBe('REFUNDED');
  expect((await bothAnswer(operations.get('Mine')!, {})).data.myOrders.totalCount).toBeGreaterThan(0);
  expect((await bothAnswer(operations.get('History')!, {})).data.myOrders.totalCount).toBeGreaterThanOrEqual(0);
});
