import { spawn, type ChildProcess } from 'node:child_process';
import { subgraphNamed } from '../../lib/subgraphs.js';
import { freePort } from '../../scripts/bench/processes.js';

/** One free-port finder for the tests and the bench. */
export { freePort };

/** Polls until `probe` gives a value. Timed on the monotonic clock: a step of the machine's wall
 *  clock (a VM's clock sync, or a test stepping Date.now) neither ends the wait early nor stretches it. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 30_000, everyMs = 100): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined && value !== false) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export async function isReady(url: string): Promise<boolean> {
  const response = await fetch(url.replace('/graphql', '/ready'), { signal: AbortSignal.timeout(2_000) }).catch(() => null);
  return response?.status === 200;
}

/** A service running as a real child process, the way `npm run start:<service>` runs it. */
export interface ServiceProcess {
  url: string;
  /** Every log line the process printed so far (pino JSON). */
  logs: string[];
  kill: (signal?: NodeJS.Signals) => Promise<number | null>;
}

/** The gateway's entry point, or a subgraph's of the registry (a name it does not list throws). */
function mainOf(service: string): string {
  return service === 'gateway' ? 'gateway/src/main.ts' : `subgraphs/${subgraphNamed(service).name}/src/main.ts`;
}

export async function spawnService(service: string, env: Record<string, string>): Promise<ServiceProcess> {
  const main = mainOf(service);
  const port = env.PORT ?? String(await freePort());
  const { NODE_OPTIONS: _jestOnly, ...inherited } = process.env;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', main], {
    env: { ...inherited, LOG_LEVEL: 'info', ...env, PORT: port },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  let pending = '';
  const collect = (chunk: Buffer) => {
    const lines = (pending + chunk.toString()).split('\n');
    pending = lines.pop() ?? '';
    logs.push(...lines.filter(Boolean));
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // A test that fails or times out must not leave services running behind it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));
  const url = `http://127.0.0.1:${port}/graphql`;
  let exitedEarly = false;
  void exited.then(() => (exitedEarly = true));
  await waitFor(`${service} to be ready`, async () => {
    if (exitedEarly) throw new Error(`${service} exited during startup:\n${logs.join('\n')}`);
    return isReady(url);
  }).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  return {
    url,
    logs,
    kill: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** PostgreSQL as a child process (test/support/postgres-server.mjs) that a test can restart. */
export async function startPostgresProcess(dataDir: string, port: number): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['test/support/postgres-server.mjs', dataDir, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
    void exited.then(() => reject(new Error('PostgreSQL exited during startup')));
  });
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
