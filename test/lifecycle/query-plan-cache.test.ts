import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readMetric } from '../../lib/metrics.js';
import { createLogger } from '../../lib/log.js';
import type { RunningServer } from '../../lib/http.js';
import { buildGateway } from '../../gateway/src/server.js';
import { testAuth, customerToken } from '../support/auth.js';
import { bearer, errorCodes, gql, type GraphQLResponse } from '../support/graphql.js';
import { captureLogs } from '../support/log-capture.js';
import { waitFor } from '../support/processes.js';
import { Shopper } from '../support/shop.js';
import { startSystem, type RunningSystem } from '../support/system.js';

const ORIGINAL = readFileSync('schema/supergraph.graphql', 'utf8');
const STOCK_DESCRIPTION = '"""Units available to order now."""';
/** The same supergraph with the stock field's description changed and Product.updatedAt gone:
 *  it still composes, and an operation selecting updatedAt no longer validates against it. */
const CHANGED = ORIGINAL.replace(STOCK_DESCRIPTION, '"""Units available to order now (changed)."""').replace(/\n\s*"""When the product last changed\."""\n\s*updatedAt: DateTime! @join__field\(graph: PRODUCT\)\n/, '\n');

const running: { stop: () => Promise<void> }[] = [];
afterEach(async () => {
  for (const item of running.splice(0).reverse()) await item.stop();
});

/** A copy of the committed supergraph in a directory of its own, for a gateway to watch. */
function supergraphCopy(): string {
  const directory = mkdtempSync(join(tmpdir(), 'query-plans-'));
  running.push({ stop: async () => rmSync(directory, { recursive: true, force: true }) });
  const path = join(directory, 'supergraph.graphql');
  writeFileSync(path, ORIGINAL);
  return path;
}

type PlannedResponse = GraphQLResponse & { extensions?: { __queryPlanExperimental?: string } };

/** A POST as a client sends it, with the operation it picks out of the document. Outside
 *  production @apollo/gateway answers with the query plan it ran when asked by this header. */
async function send(url: string, headers: Record<string, string>, query: string, operationName?: string, variables: Record<string, unknown> = {}): Promise<PlannedResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'apollo-query-plan-experimental': 'true', ...headers },
    body: JSON.stringify({ query, operationName, variables }),
  });
  return { status: response.status, ...((await response.json()) as object) };
}

async function gatewayMetrics(url: string): Promise<string> {
  return (await fetch(url.replace('/graphql', '/metrics'))).text();
}

/** gateway_query_plan_cache_total by result. */
async function planLookups(url: string): Promise<{ hit: number; miss: number }> {
  const text = await gatewayMetrics(url);
  return { hit: readMetric(text, 'gateway_query_plan_cache_total', { result: 'hit' }), miss: readMetric(text, 'gateway_query_plan_cache_total', { result: 'miss' }) };
}

/** Sends one request and says whether its plan came from the store. */
async function lookupOf(url: string, request: () => Promise<PlannedResponse>): Promise<{ response: PlannedResponse; hit: number; miss: number }> {
  const before = await planLookups(url);
  const response = await request();
  const after = await planLookups(url);
  return { response, hit: after.hit - before.hit, miss: after.miss - before.miss };
}

async function servesChangedSupergraph(url: string): Promise<boolean> {
  const { data } = await gql(url, `query StockDoc { __type(name: "Product") { fields { name description } } }`);
  return data.__type.fields.some((field: { description: string }) => field.description === 'Units available to order now (changed).');
}

async function changeSupergraph(path: string, url: string): Promise<void> {
  writeFileSync(path, CHANGED);
  await waitFor('the changed supergraph to be served', () => servesChangedSupergraph(url));
}

const ANONYMOUS = '{ products(first: 2) { edges { node { id stock } } } }';
const TWO_OPERATIONS = 'query Mine { myOrders { totalCount } } query Catalog($first: Int!) { products(first: $first) { totalCount edges { node { name price } } } }';
const PLACE = 'mutation Place($input: PlaceOrderInput!) { placeOrder(input: $input) { id status } }';
const UPDATED = 'query Updated { products(first: 1) { edges { node { updatedAt } } } }';

describe('the query plan store', () => {
  it('holds plans for the recent operations after a supergraph reload, planned without running them', async () => {
    const path = supergraphCopy();
    const logs = captureLogs();
    const system: RunningSystem = await startSystem({ gateway: { supergraphPath: path }, logs: logs.stream, logLevel: 'debug' });
    running.push(system);
    const url = system.gatewayUrl;
    const admin = await Shopper.admin(url);
    const productId = await admin.createProduct({ price: '5.00', stock: 10 });
    const customer = bearer(await customerToken('plans'));
    const operations: [string, () => Promise<PlannedResponse>][] = [
      ['an anonymous operation', () => send(url, customer, ANONYMOUS)],
      ['one operation of a document', () => send(url, customer, TWO_OPERATIONS, 'Mine')],
      ['the other operation of the same document', () => send(url, customer, TWO_OPERATIONS, 'Catalog', { first: 3 })],
      ['a mutation', () => send(url, customer, PLACE, 'Place', { input: { idempotencyKey: `k-${Math.random()}`, lines: [{ productId, quantity: 1 }] } })],
    ];
    const plannedByGateway = new Map<string, string | undefined>();
    for (const [name, request] of operations) {
      const response = await request();
      expect(response.errors).toBeUndefined();
      plannedByGateway.set(name, response.extensions?.__queryPlanExperimental);
    }
    expect((await send(url, customer, UPDATED)).errors).toBeUndefined();
    expect(await servesChangedSupergraph(url)).toBe(false);
    const fetches = readMetric(await gatewayMetrics(url), 'gateway_subgraph_fetch_duration_seconds_count');

    await changeSupergraph(path, url);

    // Warming planned every operation and called no subgraph: the mutation placed no second order.
    expect(readMetric(await gatewayMetrics(url), 'gateway_subgraph_fetch_duration_seconds_count')).toBe(fetches);
    const gatewayLines = logs.lines.filter((line) => line.name === 'gateway');
    // The admin's createProduct, the four operations above, StockDoc; Updated does not validate any more.
    expect(gatewayLines.filter((line) => line.msg === 'query plans warmed for the new supergraph')).toEqual([expect.objectContaining({ level: 30, warmed: 6, skipped: 1 })]);
    expect(gatewayLines.filter((line) => /not warmed/.test(line.msg))).toEqual([expect.objectContaining({ level: 20, operation: 'Updated' })]);
    expect(gatewayLines.filter((line) => line.level >= 40)).toEqual([]);

    // Each is a hit, and runs the plan the gateway itself built for it before the reload.
    for (const [name, request] of operations) {
      const { response, hit, miss } = await lookupOf(url, request);
      expect({ name, errors: response.errors, hit, miss }).toEqual({ name, errors: undefined, hit: 1, miss: 0 });
      expect(response.extensions?.__queryPlanExperimental).toMatch(/^QueryPlan \{/);
      expect(response.extensions?.__queryPlanExperimental).toBe(plannedByGateway.get(name));
    }
    // One order placed before the reload, one by the request above: none by warming.
    const mine = await send(url, customer, TWO_OPERATIONS, 'Mine');
    expect(mine.data.myOrders.totalCount).toBe(2);

    const fresh = await lookupOf(url, () => send(url, customer, '{ products(first: 4) { totalCount } }'));
    expect(fresh).toMatchObject({ hit: 0, miss: 1 });
    const gone = await lookupOf(url, () => send(url, customer, UPDATED));
    expect(gone).toMatchObject({ hit: 0, miss: 0 });
    expect(errorCodes(gone.response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('starts cold after a reload when GATEWAY_QUERY_PLAN_WARMUP is 0', async () => {
    const system = await startSystem();
    running.push(system);
    const path = supergraphCopy();
    const gateway: RunningServer = await buildGateway(
      {
        port: 0,
        supergraphPath: path,
        subgraphUrls: system.subgraphUrls,
        auth: testAuth.auth,
        queryPlans: { warmup: 0 },
      },
      createLogger('test', 'silent'),
    );
    running.push(gateway);
    expect((await send(gateway.url, {}, ANONYMOUS)).errors).toBeUndefined();
    expect(await lookupOf(gateway.url, () => send(gateway.url, {}, ANONYMOUS))).toMatchObject({ hit: 1, miss: 0 });

    await changeSupergraph(path, gateway.url);

    expect(await lookupOf(gateway.url, () => send(gateway.url, {}, ANONYMOUS))).toMatchObject({ hit: 0, miss: 1 });
  });
});
