import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SHUTDOWN_GRACE_MS } from '../lib/config.js';
import { TEST_JWT_SECRET } from './support/auth.js';
import { waitFor } from './support/processes.js';
import { descendantsOf, isPortFree, launch, prepareStartRun, stillRunning, type StartRun } from './support/start-process.js';

/**
 * A process manager, an IDE's stop button or a CI step signals the one PID it started: npm's.
 * npm passes the signal only to its `sh -c`, which dies without passing it on, so what it ran
 * must notice that it lost its parent.
 */
describe('npm start, stopped by the PID that ran it', () => {
  let run: StartRun;
  let stack: number[] = [];

  beforeAll(async () => {
    run = await prepareStartRun(TEST_JWT_SECRET);
  });

  afterAll(async () => {
    // Whatever outlived npm is stopped through its topmost process, so PostgreSQL stops cleanly.
    const [topmost] = stillRunning(stack);
    if (topmost) process.kill(topmost.pid, 'SIGTERM');
    await waitFor('the rest of the stack to stop', async () => stillRunning(stack).length === 0, 60_000).catch(() => undefined);
    rmSync(run.dataDir, { recursive: true, force: true });
  }, 90_000);

  it('leaves no process and no port behind within the shutdown grace after a SIGTERM to npm', async () => {
    const npm = launch({ ...run.env, npm_config_update_notifier: 'false' }, undefined, ['npm', 'start']);
    await npm.up;
    stack = [npm.pid, ...descendantsOf(npm.pid)];
    // npm, its shell, the script's node and PostgreSQL's processes at least.
    expect(stack.length).toBeGreaterThan(3);
    const signalled = performance.now();
    npm.signal('SIGTERM');

    const leftBehind = async () => ({
      processes: stillRunning(stack).map(({ pid, command }) => `${pid} ${command}`),
      ports: (await Promise.all(Object.values(run.ports).map(async (port) => ((await isPortFree(port)) ? [] : [port])))).flat(),
    });
    const gone = async () => {
      const left = await leftBehind();
      return left.processes.length === 0 && left.ports.length === 0;
    };
    await waitFor('the stack to stop', gone, DEFAULT_SHUTDOWN_GRACE_MS).catch(() => undefined);
    console.info(`npm start stopped by its PID: ${Math.round(performance.now() - signalled)} ms until nothing was left (or the wait gave up)`);
    expect(await leftBehind()).toEqual({ processes: [], ports: [] });
    // PostgreSQL removes its pid file only when it has shut down cleanly.
    expect(existsSync(join(run.dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  }, 120_000);
});
