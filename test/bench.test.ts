import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SUBGRAPHS } from '../lib/subgraphs.js';
import { MIXED, NESTED, NESTED_ONE_TOKEN, PLACE, rotated, SEARCH, type BenchReport } from '../scripts/bench/run.js';
import { DEFERRED } from '../scripts/bench/defer.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** `npm run bench -- --quick`, once: it must work end to end. Its timings are never asserted. */
function runQuickBench(jsonPath: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { NODE_OPTIONS: _jest, ...env } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench.ts', '--quick', '--json', jsonPath], { cwd: root, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

describe('the order the compared gateways are measured in', () => {
  it('starts each round with the next gateway, so none always follows a pause', () => {
    const gateways = ['ours', 'hive', 'rust', 'grafbase'];
    expect([0, 1, 2, 3, 4].map((round) => rotated(gateways, round)[0])).toEqual(['ours', 'hive', 'rust', 'grafbase', 'ours']);
    expect(rotated(gateways, 2)).toEqual(['rust', 'grafbase', 'ours', 'hive']);
  });
});

describe('npm run bench -- --quick', () => {
  let dir: string;
  let run: { code: number | null; stdout: string; stderr: string };
  let report: BenchReport;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bench-test-'));
    run = await runQuickBench(join(dir, 'report.json'));
    if (run.code !== 0) throw new Error(`the bench failed (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
    report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as BenchReport;
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints one table with every scenario, ours and every peer, with CPU and SQL per request of each process', () => {
    // One column per subgraph of the registry, in its order, for CPU and again for SQL.
    const subgraphs = SUBGRAPHS.map(({ name }) => name).join(' +\\| ');
    expect(run.stdout).toMatch(
      new RegExp(`\\| scenario +\\| gateway +\\| req/s +\\| p50 ms +\\| p99 ms +\\| errors +\\| CPU ms/req gateway +\\| ${subgraphs} +\\| SQL/req ${subgraphs} +\\|`),
    );
    for (const scenario of [SEARCH, NESTED_ONE_TOKEN, NESTED, MIXED, PLACE]) expect(run.stdout).toContain(`| ${scenario}`);
    for (const scenario of [NESTED, MIXED]) {
      expect(report.rows.filter((row) => row.scenario === scenario).map((row) => row.gateway)).toEqual(
        expect.arrayContaining(['ours', 'Hive Gateway (JS planner)', 'Hive Gateway (Rust planner)', 'Grafbase']),
      );
    }
  });

  it('has every compared gateway serve each compared scenario unmeasured before any round is measured, and rotates the first', () => {
    for (const scenario of [NESTED, MIXED]) {
      const runs = report.runOrder.filter((run) => run.scenario === scenario);
      const gateways = [...new Set(report.rows.filter((row) => row.scenario === scenario && row.result).map((row) => row.gateway))];
      const warmUps = runs.slice(0, gateways.length);
      expect(warmUps.map((run) => run.kind)).toEqual(gateways.map(() => 'warm-up'));
      expect(warmUps.map((run) => run.gateway).sort()).toEqual([...gateways].sort());
      for (const run of warmUps) expect(run.responses).toBeGreaterThan(0);
      const measured = runs.slice(gateways.length);
      expect(measured.map((run) => run.kind)).toEqual(measured.map(() => 'measured'));
      expect(measured).toHaveLength(gateways.length * report.options.rounds);
      const firsts = Array.from({ length: report.options.rounds }, (_, round) => measured[round * gateways.length]!.gateway);
      expect(firsts).toEqual(Array.from({ length: report.options.rounds }, (_, round) => rotated(warmUps.map((run) => run.gateway), round)[0]));
    }
  });

  it('measures CPU time in every process a request runs through, the gateway and each subgraph', () => {
    for (const row of report.rows.filter((each) => each.result && (each.scenario === NESTED || each.scenario === MIXED))) {
      for (const [process, millis] of Object.entries(row.cpuPerRequest!)) expect({ row: `${row.scenario} / ${row.gateway}`, process, measured: millis > 0 }).toMatchObject({ measured: true });
    }
  });

  it('soaks the storefront mix with no error, no pool wait past its limit, and reports memory and latency per window', () => {
    const soak = report.soak!;
    expect(soak.windows).toHaveLength(soak.settings.windows);
    expect(soak.windows.every((window) => window.errors === 0 && window.requestsPerSecond > 0)).toBe(true);
    const processes = ['gateway', ...SUBGRAPHS.map(({ name }) => name)].sort();
    expect(Object.keys(soak.windows[0]!.rssMiB).sort()).toEqual(processes);
    // One gateway worker: every process, the gateway too, is read after a full collection as well.
    for (const window of soak.windows) {
      expect(Object.keys(window.liveMiB).sort()).toEqual(processes);
      for (const [process, live] of Object.entries(window.liveMiB)) expect({ process, live: live! > 0 && live! < window.rssMiB[process]! }).toEqual({ process, live: true });
    }
    expect(soak.checks.filter((check) => check.judged).map((check) => [check.name, check.ok])).toEqual([
      ['no error', true],
      ["no query waited past the pool's acquire limit", true],
    ]);
  });

  it('gets an answer without errors to every request', () => {
    for (const row of report.rows.filter((row) => row.result)) {
      expect({ row: `${row.scenario} / ${row.gateway}`, errors: row.result!.errors }).toEqual({ row: `${row.scenario} / ${row.gateway}`, errors: 0 });
      expect(row.result!.responses).toBeGreaterThan(0);
    }
  });

  it('gets the same data from each peer as from our gateway, storefront pages included', () => {
    expect(report.peerChecks.map((check) => [check.gateway, check.sameData])).toEqual([
      ['Hive Gateway (JS planner)', true],
      ['Hive Gateway (Rust planner)', true],
      ['Grafbase', true],
    ]);
  });

  it('measures subscriptions: every subscriber receives both waves of changes to its order, and the rows are printed', () => {
    expect(report.subscriptions).toMatchObject({ lost: 0 });
    expect(report.subscriptions!.subscribers).toBe(report.subscriptions!.shipped);
    expect(report.subscriptions!.shipped).toBeGreaterThan(100);
    expect(report.subscriptions!.phases.map((phase) => [phase.events, phase.lost])).toEqual([[report.subscriptions!.shipped, 0], [report.subscriptions!.shipped, 0]]);
    expect(run.stdout).toContain('| shipShipment, 50 a second |');
    expect(run.stdout).toContain('orderUpdated, 1,000 subscribers (200 in a quick run), one connection each: ');
  });

  it('measures @defer with shipping slowed: time to the first and to the last part, beside the query without it', () => {
    expect(report.deferred?.requests).toBeGreaterThan(0);
    expect(report.deferred!.firstPartP50Ms).toBeGreaterThan(0);
    expect(run.stdout).toContain(`| ${DEFERRED} |`);
  });

  it('conserves stock under the placeOrder load', () => {
    expect(report.conservation.orders).toBeGreaterThan(0);
    expect(report.conservation.violations).toEqual([]);
  });

  it('costs the same SQL statements for a page of 5 orders as for 100', () => {
    expect(report.sqlByPageSize.first5).toEqual(report.sqlByPageSize.first100);
  });
});
