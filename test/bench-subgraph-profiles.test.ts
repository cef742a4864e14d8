import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SUBGRAPHS } from '../lib/subgraphs.js';
import type { ProfiledGateway } from '../scripts/bench/subgraph-profiles.js';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('npm run bench -- --subgraph-profiles', () => {
  let dir: string;
  let stdout = '';
  let results: ProfiledGateway[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bench-profiles-'));
    const { NODE_OPTIONS: _jest, ...env } = process.env;
    const args = ['--import', 'tsx', 'scripts/bench.ts', '--subgraph-profiles', join(dir, 'profiles'), '--quick', '--no-peers', '--duration', '1', '--json', join(dir, 'profiles.json')];
    const child = spawn(process.execPath, args, { cwd: root, env });
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.once('close', resolve));
    if (code !== 0) throw new Error(`the profiling run failed (exit ${code}):\n${stdout}\n${stderr}`);
    results = JSON.parse(readFileSync(join(dir, 'profiles.json'), 'utf8')) as ProfiledGateway[];
  }, 240_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('leaves a CPU profile of every subgraph under our gateway, and says where each one\'s time went', () => {
    const [ours] = results;
    expect(ours).toMatchObject({ gateway: 'ours', errors: 0 });
    for (const { name } of SUBGRAPHS) {
      expect(readdirSync(join(ours!.dir!, name)).some((file) => file.endsWith('.cpuprofile'))).toBe(true);
      expect(ours!.cpuPerRequest![name]).toBeGreaterThan(0);
      expect(ours!.split!.find((line) => line.startsWith(`${name}: `))).toMatch(/graphql \d+%/);
    }
    // The gateway itself is not profiled: it runs as it does in the table.
    expect(existsSync(join(ours!.dir!, 'gateway'))).toBe(false);
    expect(stdout).toMatch(/^ours: \d+ req\/s, 0 errors; CPU ms\/req gateway [\d.]+, product [\d.]+/m);
  });
});
