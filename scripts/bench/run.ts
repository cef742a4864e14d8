import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { signDevToken } from '../../lib/auth.js';
import { SUBGRAPHS } from '../../lib/subgraphs.js';
import { checkInvariants, stockSnapshot, type InvariantReport } from '../invariants.js';
import { drive, type LoadRequest } from './load.js';
import type { BenchOptions } from './options.js';
import { PEERS, PeerUnavailable, startPeer, writeSupergraph } from './peers.js';
import { startBenchPostgres } from './postgres.js';
import { ADMIN_ORDERS, adminOrders, BUYER_PREFIX, canonicalJson, fetchGraphQL, graphqlBody, placeOrders, PRODUCT_SEARCH, productSearch } from './scenarios.js';
import { seedCatalog, seedHistory, SEARCH_TERMS } from './seed.js';
import { buildServices, perRequest, startOurGateway, startSubgraphs, type Gateway, type RunningSubgraphs, type SqlCounts } from './services.js';
import type { Row } from './table.js';

export interface PeerCheck {
  gateway: string;
  /** null when the peer did not run. */
  sameData: boolean | null;
  detail?: string;
}

export interface BenchReport {
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; os: string };
  build: string;
  options: BenchOptions;
  rows: Row[];
  peerChecks: PeerCheck[];
  /** SQL statements per subgraph for one nested query with a small and a large page. */
  sqlByPageSize: { first5: SqlCounts; first100: SqlCounts };
  conservation: InvariantReport;
}

export const NESTED = 'admin orders(first: 50), nested';
export const NESTED_TENFOLD = 'admin orders(first: 50), nested, 10x history';
export const SEARCH = 'products(first: 20, search), anonymous';
export const PLACE = 'placeOrder, many customers';

type Say = (line: string) => void;

/** Everything started so far, stopped in reverse order however the run ends. */
class Cleanup {
  private readonly steps: (() => Promise<void>)[] = [];
  add(stop: () => Promise<void>): void {
    this.steps.push(stop);
  }
  async run(): Promise<void> {
    for (const stop of this.steps.splice(0).reverse()) await stop().catch(() => undefined);
  }
}

export async function runBench(root: string, options: BenchOptions, say: Say, cleanup = new Cleanup()): Promise<BenchReport> {
  try {
    return await benchmark(root, options, say, cleanup);
  } finally {
    await cleanup.run();
  }
}

export { Cleanup };

async function benchmark(root: string, options: BenchOptions, say: Say, cleanup: Cleanup): Promise<BenchReport> {
  say('Building the services ...');
  const build = buildServices(root);
  const secrets = { jwtSecret: randomBytes(32).toString('base64url'), serviceCredential: randomBytes(32).toString('base64url') };
  const adminToken = await signDevToken(secrets.jwtSecret, { sub: 'bench-admin', admin: true, ttlSeconds: 3600 });
  const buyerTokens = await Promise.all(Array.from({ length: 200 }, (_, i) => signDevToken(secrets.jwtSecret, { sub: `${BUYER_PREFIX}${i + 1}`, ttlSeconds: 3600 })));

  say('Starting PostgreSQL and the subgraphs ...');
  const postgres = await startBenchPostgres(SUBGRAPHS.map(({ database }) => database));
  cleanup.add(postgres.stop);
  const system = await startSubgraphs(build, postgres, secrets);
  cleanup.add(system.stop);

  say(`Seeding ${options.products} products and ${options.orders} orders ...`);
  const catalog = await seedCatalog(system.subgraphs.product!.url, adminToken, options.products);
  await seedHistory(postgres.databaseUrl, catalog, options.orders, 1);

  const ours = await startOurGateway(build, root, system.subgraphs, secrets, options.workers);
  cleanup.add(ours.stop);
  const rows: Row[] = [];
  const measure = async (scenario: string, gateway: Gateway, request: LoadRequest) => {
    say(`Measuring ${scenario} through ${gateway.name} ...`);
    const row = await measureRow(system, scenario, gateway, request, options);
    rows.push(row);
    return row;
  };

  await measure(SEARCH, ours, productSearch());
  await measure(NESTED, ours, adminOrders(adminToken));
  const sqlByPageSize = { first5: await statementsFor(system, ours, adminToken, 5), first100: await statementsFor(system, ours, adminToken, 100) };
  const reference = await referenceAnswers(ours.url, adminToken);

  const supergraphPath = writeSupergraph(root, system.subgraphs);
  const peerChecks: PeerCheck[] = [];
  for (const spec of PEERS) {
    let peer: Gateway;
    try {
      peer = await startPeer(spec, root, supergraphPath, options.workers);
    } catch (error) {
      if (!(error instanceof PeerUnavailable)) throw error;
      rows.push({ scenario: NESTED, gateway: spec.name, note: error.message });
      peerChecks.push({ gateway: spec.name, sameData: null, detail: error.message });
      continue;
    }
    try {
      const answers = await referenceAnswers(peer.url, adminToken);
      const difference = Object.keys(reference).find((name) => reference[name] !== answers[name]);
      peerChecks.push({ gateway: spec.name, sameData: difference === undefined, detail: difference && `${difference} differs` });
      await measure(NESTED, peer, adminOrders(adminToken));
    } finally {
      await peer.stop();
    }
  }

  const stockBefore = await stockSnapshot(postgres.databaseUrl('product'));
  await measure(PLACE, ours, placeOrders(buyerTokens, catalog));
  await quietStatements(system);
  const databases = { product: postgres.databaseUrl('product'), payment: postgres.databaseUrl('payment'), order: postgres.databaseUrl('order') };
  const conservation = await checkInvariants(databases, stockBefore, BUYER_PREFIX);

  if (options.historyTenfold) {
    say(`Adding ${options.orders * 9} more orders for the 10x history run ...`);
    await seedHistory(postgres.databaseUrl, catalog, options.orders * 9, 2);
    await measure(NESTED_TENFOLD, ours, adminOrders(adminToken));
  }

  const cpus = os.cpus();
  return {
    machine: {
      cpus: os.availableParallelism(),
      cpuModel: cpus[0]?.model.trim() ?? 'unknown',
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      os: `${os.type()} ${os.release()}`,
    },
    build: build.description,
    options,
    rows,
    peerChecks,
    sqlByPageSize,
    conservation,
  };
}

async function measureRow(system: RunningSubgraphs, scenario: string, gateway: Gateway, request: LoadRequest, options: BenchOptions): Promise<Row> {
  let before: SqlCounts | undefined;
  const result = await drive(gateway.url, request, options.load, async () => void (before = await quietStatements(system)));
  const after = await quietStatements(system);
  return { scenario, gateway: gateway.name, result, sqlPerRequest: perRequest(before!, after, result.responses) };
}

/**
 * The SQL counters once they stop moving: autocannon returns when its time is up, with requests
 * still in flight, whose statements belong to the run that sent them (and a placeOrder still
 * running would make the stock check see a saga half done).
 */
async function quietStatements(system: RunningSubgraphs): Promise<SqlCounts> {
  let last = await system.sqlStatements();
  for (let tries = 0; tries < 100; tries += 1) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const now = await system.sqlStatements();
    if (SUBGRAPHS.every(({ name }) => now[name] === last[name])) return now;
    last = now;
  }
  return last;
}

async function statementsFor(system: RunningSubgraphs, gateway: Gateway, adminToken: string, first: number): Promise<SqlCounts> {
  const before = await system.sqlStatements();
  await fetchGraphQL(gateway.url, graphqlBody(ADMIN_ORDERS, { first }), { authorization: `Bearer ${adminToken}` });
  return perRequest(before, await system.sqlStatements(), 1);
}

/** What a gateway answers to the nested query and to each product search, for comparing peers. */
async function referenceAnswers(url: string, adminToken: string): Promise<Record<string, string>> {
  const answers: Record<string, string> = {};
  const check = (name: string, body: unknown) => {
    const { data, errors } = body as { data?: unknown; errors?: unknown };
    answers[name] = errors === undefined ? canonicalJson(data) : `errors: ${JSON.stringify(errors)}`;
  };
  check(NESTED, await fetchGraphQL(url, graphqlBody(ADMIN_ORDERS, { first: 50 }), { authorization: `Bearer ${adminToken}` }));
  for (const search of SEARCH_TERMS) check(`products "${search}"`, await fetchGraphQL(url, graphqlBody(PRODUCT_SEARCH, { search })));
  return answers;
}
