import { spawn } from 'node:child_process';
import net from 'node:net';

/** A server the bench started as a child process. */
export interface ChildServer {
  name: string;
  /** For its CPU time and memory (scripts/bench/proc.ts). */
  pid: number;
  /** Everything it printed so far, for the error message when something goes wrong. */
  output: () => string;
  stop: () => Promise<void>;
  /** Sends the signal and waits for the exit: SIGKILL is a node lost, with no draining. */
  kill: (signal: NodeJS.Signals) => Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `node <args>` (or `command <args>`) and resolves once `readyUrl` answers 200, so a server that is listening but
 * has not loaded its schema or database yet is not measured. Fails with what it printed if it
 * exits or is not ready in time.
 */
export async function startChild(name: string, args: string[], env: Record<string, string>, readyUrl: string, timeoutMs = 60_000, command = process.execPath): Promise<ChildServer> {
  const { NODE_OPTIONS: _testRunnerOnly, ...inherited } = process.env;
  const child = spawn(command, args, { env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => void (output = (output + chunk.toString()).slice(-20_000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let hasExited = false;
  // A run that fails or times out (a test's limit) must not leave servers running behind it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => {
    hasExited = true;
    process.off('exit', killOnExit);
  });
  const stop = async () => {
    if (hasExited) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  };
  // Monotonic, as every wait here: a wall-clock step must not fail a start that is on time.
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (hasExited) throw new Error(`${name} exited during startup:\n${output}`);
    const response = await fetch(readyUrl, { signal: AbortSignal.timeout(2_000) }).catch(() => null);
    if (response?.status === 200) break;
    if (performance.now() > deadline) {
      await stop();
      throw new Error(`${name} was not ready at ${readyUrl} within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const kill = async (signal: NodeJS.Signals) => {
    if (hasExited) return;
    child.kill(signal);
    await exited;
  };
  return { name, pid: child.pid!, output: () => output, stop, kill };
}
