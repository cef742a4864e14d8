import os from 'node:os';
import { SUBGRAPHS } from '../../lib/subgraphs.js';
import { checkInvariants, stockSnapshot, type InvariantReport } from '../invariants.js';
import { drive, type LoadRequest, type LoadResult, type RequestSpec } from './load.js';
import type { BenchOptions } from './options.js';
import { PEERS, PeerUnavailable, startPeer } from './peers.js';
import { startBenchPostgres } from './postgres.js';
import { ADMIN_ORDERS, ADMIN_ORDERS_COUNTED, ADMIN_ORDERS_TOTAL, adminOrders, BUYER_PREFIX, canonicalJson, fetchGraphQL, graphqlBody, placeOrders, PRODUCT_SEARCH, productSearch } from './scenarios.js';
import { HISTORY_CUSTOMER_PREFIX, removeArchive, seedCatalog, seedHistory, SEARCH_TERMS, topUpArchive } from './seed.js';
import { buildServices, cpuOf, newSecrets, perRequest, signTokens, startOurGateway, startSubgraphs, type CpuMillis, type Gateway, type RunningSubgraphs, type SqlCounts } from './services.js';
import { runSoak, type SoakReport } from './soak.js';
import { storefrontMix } from './storefront.js';
import { benchSubscriptions, SUBSCRIBERS, type SubscriptionReport } from './subscriptions.js';
import { benchDefer, DEFERRED, type DeferReport } from './defer.js';
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
  soak?: SoakReport;
  subscriptions?: SubscriptionReport;
  deferred?: DeferReport;
  /** The compared scenarios' runs in the order they ran: each gateway's unmeasured warm-up, then the rounds. */
  runOrder: CompareRun[];
}

export interface CompareRun {
  scenario: string;
  gateway: string;
  kind: 'warm-up' | 'measured';
  responses: number;
}

export const NESTED = 'admin orders(first: 50), nested, 16 admins';
export const NESTED_ONE_TOKEN = 'admin orders(first: 50), nested, ONE admin token (in-flight sharing)';
export const NESTED_TENFOLD = 'admin orders(first: 50), nested, 16 admins, 10x history';
export const SEARCH = 'products(first: 20, search), anonymous';
/** The admin page with the count it shows, on a small and on a large history (COUNT_HISTORY). */
export const COUNTED = { small: 'admin orders(first: 50), nested, count, 10k orders', large: 'admin orders(first: 50), nested, count, 2M orders' };
export const TOTALLED = { small: 'admin orders(first: 50), nested, totalCount, 10k orders', large: 'admin orders(first: 50), nested, totalCount, 2M orders' };
const COUNT_HISTORY = { small: 10_000, large: 2_000_000 };
export const MIXED = 'storefront mix, 200 customers';
export const PLACE = 'placeOrder, 200 customers';

const ADMINS = 16;
const CUSTOMERS = 200;

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
  const build = buildServices(root, options.cpuProfileDir);
  const secrets = newSecrets();
  const adminTokens = await signTokens(secrets.jwtSecret, 'bench-admin-', ADMINS, true);
  const buyerTokens = await signTokens(secrets.jwtSecret, BUYER_PREFIX, CUSTOMERS);
  const historyTokens = await signTokens(secrets.jwtSecret, HISTORY_CUSTOMER_PREFIX, CUSTOMERS);

  say('Starting PostgreSQL and the subgraphs, each in its own process ...');
  const postgres = await startBenchPostgres(SUBGRAPHS.map(({ database }) => database));
  cleanup.add(postgres.stop);
  const system = await startSubgraphs(build, postgres, secrets);
  cleanup.add(system.stop);

  say(`Seeding ${options.products} products and ${options.orders} orders ...`);
  const catalog = await seedCatalog(system.subgraphs.product!.url, adminTokens[0]!, options.products);
  const history = await seedHistory(postgres.databaseUrl, catalog, options.orders, 1);

  const ours = await startOurGateway(build, root, system.subgraphs, secrets, options.workers);
  cleanup.add(ours.stop);
  const rows: Row[] = [];
  const gateways: Gateway[] = [ours];
  for (const spec of options.noPeers ? [] : PEERS) {
    say(`Starting ${spec.name} on the same subgraphs ...`);
    try {
      const peer = await startPeer(spec, root, system.subgraphs, options.workers);
      cleanup.add(peer.stop);
      gateways.push(peer);
    } catch (error) {
      if (!(error instanceof PeerUnavailable)) throw error;
      say(`  ${spec.name} cannot run here: ${error.message}`);
      for (const scenario of [NESTED, MIXED]) rows.push({ scenario, gateway: spec.name, note: error.message });
    }
  }

  // The storefront's customers are those of the seeded history; its orders are placed by the
  // bench's buyers, whose orders the stock check counts from the snapshot on.
  const shoppers = { tokens: new Map(historyTokens.map((token, i) => [`${HISTORY_CUSTOMER_PREFIX}${i + 1}`, token])), orders: history };
  const mix = await storefrontMix(root, ours.url, shoppers, catalog, buyerTokens);
  const checks: { name: string; request: RequestSpec }[] = [
    { name: NESTED, request: { body: graphqlBody(ADMIN_ORDERS, { first: 50 }), headers: { authorization: `Bearer ${adminTokens[0]!}` } } },
    ...SEARCH_TERMS.map((search) => ({ name: `products "${search}"`, request: { body: graphqlBody(PRODUCT_SEARCH, { search }), headers: {} } })),
    ...mix.samples,
  ];
  // Before anything is written, so every gateway answers the same state.
  const reference = await answers(ours.url, checks);
  const peerChecks: PeerCheck[] = rows.map((row) => row.gateway).filter((name, i, all) => all.indexOf(name) === i).map((gateway) => ({ gateway, sameData: null, detail: 'did not run' }));
  for (const peer of gateways.slice(1)) {
    const theirs = await answers(peer.url, checks);
    const difference = Object.keys(reference).find((name) => reference[name] !== theirs[name]);
    peerChecks.push({ gateway: peer.name, sameData: difference === undefined, detail: difference && `${difference} differs: ${theirs[difference]!.slice(0, 300)}` });
  }
  const sqlByPageSize = { first5: await statementsFor(system, ours, adminTokens[0]!, 5), first100: await statementsFor(system, ours, adminTokens[0]!, 100) };

  const wanted = (scenario: string) => options.only === undefined || scenario.includes(options.only);
  const measure = async (scenario: string, gateway: Gateway, request: LoadRequest) => {
    if (!wanted(scenario)) return;
    say(`Measuring ${scenario} through ${gateway.name} ...`);
    rows.push(toRow(scenario, gateway.name, [await measureOnce(system, gateway, request, options)]));
  };
  /**
   * Each gateway in turn, `rounds` times, so drift in the machine falls on all of them alike. Every
   * gateway first serves the scenario for a measured run's length unmeasured: a process's first
   * seconds of a new load (V8 compiling its hot paths, its heap growing to the load) cost up to a
   * third more CPU per request, on the subgraphs too, and would fall on whichever gateway came
   * first. Each round starts with the next gateway, so none is always the one after a pause.
   */
  const runOrder: CompareRun[] = [];
  const alternate = async (scenario: string, request: () => LoadRequest) => {
    if (!wanted(scenario)) return;
    const runs = new Map<Gateway, Measurement[]>(gateways.map((gateway) => [gateway, []]));
    for (const gateway of gateways) {
      say(`Warming ${gateway.name} up on ${scenario} (not measured) ...`);
      const { responses } = await drive(gateway.url, request(), { ...options.load, warmupSeconds: 0 });
      runOrder.push({ scenario, gateway: gateway.name, kind: 'warm-up', responses });
    }
    for (let round = 0; round < options.rounds; round += 1) {
      for (const gateway of rotated(gateways, round)) {
        say(`Measuring ${scenario} through ${gateway.name} (round ${round + 1} of ${options.rounds}) ...`);
        const measured = await measureOnce(system, gateway, request(), options);
        runs.get(gateway)!.push(measured);
        runOrder.push({ scenario, gateway: gateway.name, kind: 'measured', responses: measured.result.responses });
      }
    }
    for (const [gateway, measured] of runs) rows.push(toRow(scenario, gateway.name, measured));
  };

  /** The count rows: the same page, counted two ways, on COUNT_HISTORY's orders; the archive that
   *  makes it up lies behind every page the bench reads. */
  const countRows = async (size: 'small' | 'large') => {
    if (!options.countHistory || !(wanted(COUNTED[size]) || wanted(TOTALLED[size]))) return false;
    say(`Topping the order history up to ${COUNT_HISTORY[size].toLocaleString('en')} orders for the count rows ...`);
    await topUpArchive(postgres.databaseUrl('order'), COUNT_HISTORY[size]);
    await measure(COUNTED[size], ours, adminOrders(adminTokens, 50, ADMIN_ORDERS_COUNTED));
    await measure(TOTALLED[size], ours, adminOrders(adminTokens, 50, ADMIN_ORDERS_TOTAL));
    return true;
  };
  if (await countRows('small')) await removeArchive(postgres.databaseUrl('order'));

  await measure(SEARCH, ours, productSearch());
  await measure(NESTED_ONE_TOKEN, ours, adminOrders(adminTokens.slice(0, 1)));
  await alternate(NESTED, () => adminOrders(adminTokens));
  const stockBefore = await stockSnapshot(postgres.databaseUrl('product'));
  await alternate(MIXED, () => mix.load);
  await measure(PLACE, ours, placeOrders(buyerTokens, catalog));
  await quietStatements(system);
  // Ours only: @apollo/gateway has no subscriptions of its own to compare, and the peers' are
  // configured differently (Hive and Grafbase subscribe to subgraphs their own way).
  const subscriptions = wanted(SUBSCRIBERS) ? await benchSubscriptions(ours, secrets.jwtSecret, adminTokens[0]!, catalog, options.quick ? 200 : 1_000, say) : undefined;
  await quietStatements(system);
  // Ours only, on a gateway and a slowed shipping subgraph of its own: the other rows' shipping is not slowed.
  const deferred = wanted(DEFERRED) ? await benchDefer(build, root, postgres, system.subgraphs, secrets, buyerTokens[0]!, catalog, options.quick ? 20 : 200, say) : undefined;
  await quietStatements(system);

  let soak: SoakReport | undefined;
  if (options.soak.windows > 0 && wanted('soak')) {
    soak = await runSoak(system, ours, mix.load, options.soak, say, !options.quick);
    await quietStatements(system);
  }
  const databases = { product: postgres.databaseUrl('product'), payment: postgres.databaseUrl('payment'), shipping: postgres.databaseUrl('shipping'), order: postgres.databaseUrl('order') };
  const conservation = await checkInvariants(databases, stockBefore, BUYER_PREFIX);

  if (options.historyTenfold && wanted(NESTED_TENFOLD)) {
    say(`Adding ${options.orders * 9} more orders for the 10x history run ...`);
    await seedHistory(postgres.databaseUrl, catalog, options.orders * 9, 2);
    await measure(NESTED_TENFOLD, ours, adminOrders(adminTokens));
  }
  await countRows('large');

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
    soak,
    subscriptions,
    deferred,
    runOrder,
  };
}

export interface Measurement {
  result: LoadResult;
  cpuMillis: CpuMillis;
  sql: SqlCounts;
}

/** One measured run of a scenario through a gateway: its load figures, each process's CPU and each subgraph's SQL over it. */
export async function measureOnce(system: RunningSubgraphs, gateway: Gateway, request: LoadRequest, options: BenchOptions): Promise<Measurement> {
  let before: { sql: SqlCounts; cpu: CpuMillis } | undefined;
  const result = await drive(gateway.url, request, options.load, async () => {
    const sql = await quietStatements(system);
    before = { sql, cpu: cpuOf(gateway, system.subgraphs) };
  });
  const sql = await quietStatements(system);
  const cpu = cpuOf(gateway, system.subgraphs);
  const used: CpuMillis = Object.fromEntries(Object.entries(cpu).map(([name, millis]) => [name, millis - (before!.cpu[name] ?? 0)]));
  return { result, cpuMillis: used, sql: perRequest(before!.sql, sql, 1) };
}

/** The gateways in the order a round measures them: round 1 from the first, round 2 from the second, ... */
export function rotated<T>(items: readonly T[], round: number): T[] {
  const start = items.length === 0 ? 0 : round % items.length;
  return [...items.slice(start), ...items.slice(0, start)];
}

/** One row from one or more runs of the same scenario and gateway: throughput and latencies are
 *  averaged over the runs, CPU and SQL divided by every response of all of them. */
function toRow(scenario: string, gateway: string, runs: Measurement[]): Row {
  const responses = runs.reduce((sum, run) => sum + run.result.responses, 0);
  const mean = (pick: (result: LoadResult) => number) => runs.reduce((sum, run) => sum + pick(run.result), 0) / runs.length;
  const per = <K extends string>(pick: (run: Measurement) => Record<K, number>) =>
    Object.fromEntries(Object.keys(pick(runs[0]!)).map((name) => [name, responses > 0 ? runs.reduce((sum, run) => sum + pick(run)[name as K], 0) / responses : 0])) as Record<K, number>;
  return {
    scenario,
    gateway,
    result: {
      requestsPerSecond: mean((result) => result.requestsPerSecond),
      p50Ms: mean((result) => result.p50Ms),
      p99Ms: mean((result) => result.p99Ms),
      errors: runs.reduce((sum, run) => sum + run.result.errors, 0),
      errorSamples: runs.flatMap((run) => run.result.errorSamples),
      responses,
    },
    cpuPerRequest: per((run) => run.cpuMillis),
    sqlPerRequest: per((run) => run.sql),
  };
}

/**
 * The SQL counters once they stop moving: autocannon returns when its time is up, with requests
 * still in flight, whose statements belong to the run that sent them (and a placeOrder still
 * running would make the stock check see a saga half done).
 */
export async function quietStatements(system: RunningSubgraphs): Promise<SqlCounts> {
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

/** What a gateway answers to each check, for comparing peers with ours. */
async function answers(url: string, checks: { name: string; request: RequestSpec }[]): Promise<Record<string, string>> {
  const answered: Record<string, string> = {};
  for (const { name, request } of checks) {
    const { data, errors } = (await fetchGraphQL(url, request.body, request.headers)) as { data?: unknown; errors?: unknown };
    answered[name] = errors === undefined ? canonicalJson(data) : `errors: ${JSON.stringify(errors)}`;
  }
  return answered;
}
