import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchReport } from '../scripts/bench/run.js';

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

describe('npm run bench -- --quick', () => {
  let dir: string;
  let run: { code: number | null; stdout: string; stderr: string };
  let report: BenchReport;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bench-test-'));
    run = await runQuickBench(join(dir, 'report.json'));
    if (run.code !== 0) throw new Error(`the bench failed (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
    report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as BenchReport;
  }, 240_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints one table with every scenario, ours and both peers', () => {
    expect(run.stdout).toMatch(/\| scenario +\| gateway +\| req\/s +\| p50 ms +\| p99 ms +\| errors +\| SQL\/req product +\| payment +\| order +\|/);
    for (const scenario of ['products(first: 20, search), anonymous', 'admin orders(first: 50), nested', 'placeOrder, many customers']) {
      expect(run.stdout).toContain(`| ${scenario}`);
    }
    expect(report.rows.map((row) => row.gateway)).toEqual(expect.arrayContaining(['ours', 'Hive Gateway (JS planner)', 'Hive Gateway (Rust planner)']));
  });

  it('gets an answer without errors to every request', () => {
    for (const row of report.rows.filter((row) => row.result)) {
      expect({ row: `${row.scenario} / ${row.gateway}`, errors: row.result!.errors }).toEqual({ row: `${row.scenario} / ${row.gateway}`, errors: 0 });
      expect(row.result!.responses).toBeGreaterThan(0);
    }
  });

  it('gets the same data from each peer as from our gateway', () => {
    expect(report.peerChecks.map((check) => [check.gateway, check.sameData])).toEqual([
      ['Hive Gateway (JS planner)', true],
      ['Hive Gateway (Rust planner)', true],
    ]);
  });

  it('conserves stock under the placeOrder load', () => {
    expect(report.conservation.orders).toBeGreaterThan(0);
    expect(report.conservation.violations).toEqual([]);
  });

  it('costs the same SQL statements for a page of 5 orders as for 100', () => {
    expect(report.sqlByPageSize.first5).toEqual(report.sqlByPageSize.first100);
  });
});
