import { spawn, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
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

/** Ports for children: from 10000 to where the kernel's own begin; each process starts at random. */
const CHILD_PORTS = { low: 10_000, high: ephemeralLow() };
let nextPort = randomInt(CHILD_PORTS.high - CHILD_PORTS.low);

/**
 * A port for a server another process will open later. It is taken from below the kernel's
 * ephemeral range: a port from that range (listen(0)) is free only until someone else's listen(0)
 * or outbound connection gets it, and a child that lost its port that way either exits or, worse,
 * finds another test's server answering its readiness probe. Below the range only callers of this
 * function pick ports, each process from its own random start, moving on past any port in use.
 */
export async function freePort(): Promise<number> {
  for (let tries = 0; tries < 200; tries += 1) {
    const port = CHILD_PORTS.low + (nextPort++ % (CHILD_PORTS.high - CHILD_PORTS.low));
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port between ${CHILD_PORTS.low} and ${CHILD_PORTS.high}`);
}

/** Where the kernel starts handing out ports of its own (Linux; 32768 is its default and others'). */
function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return low > 20_000 ? low : 32_768;
  } catch {
    return 32_768;
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The children still running: a run that fails or times out (a test's limit) must not leave
 *  servers running behind it. One exit listener for all of them (a full bench starts a dozen). */
const running = new Set<ChildProcess>();
let killingOnExit = false;

function killedOnExit(child: ChildProcess): void {
  if (!killingOnExit) process.once('exit', () => running.forEach((each) => each.kill('SIGKILL')));
  killingOnExit = true;
  running.add(child);
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
  killedOnExit(child);
  void exited.then(() => {
    hasExited = true;
    running.delete(child);
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
