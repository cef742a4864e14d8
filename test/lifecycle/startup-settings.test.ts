import { spawn } from 'node:child_process';

/** A service's main (or `npm start`) run as `npm run start:<service>` runs it, to its exit. */
function runToExit(script: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // Jest's NODE_OPTIONS and any OpenTelemetry settings of the machine running the tests stay out.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NODE_OPTIONS' && !name.startsWith('OTEL_')));
  const child = spawn(process.execPath, ['--import', 'tsx', script], { env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

describe('a bad LOG_LEVEL', () => {
  it.each([
    ['product', 'subgraphs/product/src/main.ts', {}],
    // Two workers: the cluster primary makes its own logger before any worker starts.
    ['gateway', 'gateway/src/main.ts', { GATEWAY_WORKERS: '2' }],
    ['gateway', 'gateway/src/main.ts', { GATEWAY_WORKERS: '1' }],
  ])('stops the %s (%s) with one line on stderr naming LOG_LEVEL and exit code 1', async (name, script, env) => {
    // PORT 0 and an unreachable database: nothing may be reached before the level is checked.
    const { code, stdout, stderr } = await runToExit(script, { ...env, LOG_LEVEL: 'verbose', PORT: '0', DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual([`${name} failed to start: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "verbose"`]);
  }, 30_000);
});
