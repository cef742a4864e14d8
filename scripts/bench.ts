import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readBenchOptions, UsageError, USAGE } from './bench/options.js';
import { benchReplicaLoss, describeReplicaLoss } from './bench/replica-loss-bench.js';
import { Cleanup, NESTED, NESTED_TENFOLD, PLACE, runBench, type BenchReport } from './bench/run.js';
import { formatTable, ratio } from './bench/table.js';

const root = fileURLToPath(new URL('../', import.meta.url));

/** The lines under the table: the ratios the issue asks about and every check the run made. */
function summary(report: BenchReport): string[] {
  const ours = report.rows.find((row) => row.scenario === NESTED && row.gateway === 'ours')?.result;
  const lines: string[] = [];
  for (const peer of report.rows.filter((row) => row.scenario === NESTED && row.gateway !== 'ours')) {
    const theirs = peer.result;
    lines.push(
      ours && theirs
        ? `Nested query, ours vs ${peer.gateway}: ${ratio(ours.requestsPerSecond, theirs.requestsPerSecond)} the throughput, p99 ${ours.p99Ms} ms vs ${theirs.p99Ms} ms.`
        : `Nested query, ours vs ${peer.gateway}: not compared (${peer.note ?? 'no result'}).`,
    );
  }
  for (const check of report.peerChecks) {
    lines.push(`Same data from ${check.gateway} as from ours: ${check.sameData === null ? 'not checked' : check.sameData ? 'yes' : `NO (${check.detail})`}.`);
  }
  const { first5, first100 } = report.sqlByPageSize;
  lines.push(
    `SQL statements for one nested query, first: 5 vs first: 100: ${(['order', 'payment', 'product'] as const).map((name) => `${name} ${first5[name]} vs ${first100[name]}`).join(', ')}.`,
  );
  const tenfold = report.rows.find((row) => row.scenario === NESTED_TENFOLD)?.result;
  if (ours && tenfold) lines.push(`Nested query p50 with 10x the order history: ${tenfold.p50Ms} ms vs ${ours.p50Ms} ms (${ratio(tenfold.p50Ms, ours.p50Ms)}).`);
  const stock = report.conservation;
  lines.push(
    `Stock conservation after ${stock.orders} placed orders (${stock.paid} paid, ${stock.cancelled} cancelled, ${stock.unitsSold} units sold): ${stock.violations.length === 0 ? 'ok' : `${stock.violations.length} violations:\n  ${stock.violations.slice(0, 10).join('\n  ')}`}.`,
  );
  return lines;
}

export function failures(report: BenchReport): string[] {
  const problems: string[] = [];
  for (const row of report.rows) if (row.result && row.result.errors > 0) problems.push(`${row.scenario} through ${row.gateway}: ${row.result.errors} errors`);
  for (const check of report.peerChecks) if (check.sameData === false) problems.push(`${check.gateway} answered different data`);
  if (report.conservation.violations.length > 0) problems.push('stock was not conserved');
  if (!report.rows.some((row) => row.scenario === PLACE && row.result && row.result.responses > 0)) problems.push('no order was placed');
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

const cleanup = new Cleanup();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void cleanup.run().then(() => process.exit(130)));
}
try {
  const report = await runBench(root, options, (line) => console.error(line), cleanup);
  const { machine, options: used } = report;
  console.log(
    `\n${machine.cpuModel}, ${machine.cpus} cores, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}; ${report.build}; ` +
      `${used.load.connections} connections, ${used.load.durationSeconds} s per row after ${used.load.warmupSeconds} s of warm-up, ${used.workers} gateway worker(s) each; ` +
      `${used.products} products, ${used.orders} orders of history.\n`,
  );
  console.log(formatTable(report.rows));
  console.log(`\n${summary(report).join('\n')}`);
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
