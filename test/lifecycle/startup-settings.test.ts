import { spawn } from 'node:child_process';
import { spawnService, type ServiceProcess } from '../support/processes.js';

/** A service's main run as `npm run start:<service>` runs it, to its exit. */
function runToExit(script: string, env: Record<string, string>, onOutput?: (stdout: string, signal: (name: NodeJS.Signals) => void) => void): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // Jest's NODE_OPTIONS and any OpenTelemetry settings of the machine running the tests stay out.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NODE_OPTIONS' && !name.startsWith('OTEL_')));
  const child = spawn(process.execPath, ['--import', 'tsx', script], { env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    onOutput?.(stdout, (name) => child.kill(name));
  });
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

describe('a JWT_SECRET shorter than 32 bytes', () => {
  it('is accepted outside production, with a warning the service logs as it starts', async () => {
    const gateway: ServiceProcess = await spawnService('gateway', { JWT_SECRET: 'short-dev-secret', GATEWAY_WORKERS: '1', NODE_ENV: 'development' });
    try {
      const warnings = gateway.logs.map((line) => JSON.parse(line) as { level: number; msg: string }).filter((line) => line.level === 40);
      expect(warnings).toEqual([expect.objectContaining({ msg: expect.stringMatching(/^JWT_SECRET is shorter than 32 bytes/) })]);
      expect(gateway.logs.join('\n')).not.toContain('short-dev-secret');
    } finally {
      expect(await gateway.kill('SIGTERM')).toBe(0);
    }
  }, 60_000);

  it('stops the service when NODE_ENV=production', async () => {
    const { code, stdout } = await runToExit('gateway/src/main.ts', { JWT_SECRET: 'short-dev-secret', GATEWAY_WORKERS: '1', NODE_ENV: 'production', SERVICE_CREDENTIAL: 'a-real-service-credential', PORT: '0' });
    expect(code).toBe(1);
    expect(stdout).toContain('gateway failed to start: JWT_SECRET must be at least 32 bytes for HS256 when NODE_ENV=production');
  }, 30_000);
});

describe('a stop that overruns SHUTDOWN_GRACE_MS', () => {
  it('gives up 5 s past the grace and exits 1, saying so', async () => {
    let signalled = false;
    const { code, stdout } = await runToExit('test/support/hung-service.ts', { SHUTDOWN_GRACE_MS: '100', LOG_LEVEL: 'info' }, (printed, signal) => {
      if (!signalled && printed.includes('hung ready at')) {
        signalled = true;
        signal('SIGTERM');
      }
    });
    expect(signalled).toBe(true);
    expect(code).toBe(1);
    expect(stdout).toContain('hung did not stop within 5100 ms; exiting anyway');
  }, 30_000);
});
