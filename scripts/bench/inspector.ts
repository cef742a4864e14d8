import WebSocket from 'ws';
import { freePort } from './processes.js';

/** What survives a full garbage collection in a Node process, MiB. */
export interface LiveMemory {
  /** V8's heap in use right after the collection. */
  heapMiB: number;
  /** Memory outside the heap that JavaScript objects own (Buffers, ArrayBuffers). */
  externalMiB: number;
}

/** A Node process the bench can ask for its live memory. */
export interface Inspectable {
  pid: number;
  /** Where SIGUSR1 opens its inspector, on loopback (the process was started with inspectFlag()). */
  inspectPort: number;
}

/**
 * The flag that lets the bench read a child's live memory later: `--inspect-port` only says where the
 * inspector listens once SIGUSR1 opens it, so nothing listens and nothing runs until the soak asks.
 */
export async function inspectFlag(): Promise<{ flag: string; port: number }> {
  const port = await freePort();
  return { flag: `--inspect-port=127.0.0.1:${port}`, port };
}

/**
 * The process's memory after a full garbage collection, as DevTools' "collect garbage" and memory
 * panel read it. Resident memory saws with the collector's rhythm (the heap grows to a limit, a
 * major collection shrinks it, the allocator keeps pages), so one RSS reading per window tells the
 * moment in that rhythm more than a trend; what a leak makes grow is what survives the collection.
 */
export async function liveMemory({ pid, inspectPort }: Inspectable, timeoutMs = 10_000): Promise<LiveMemory> {
  // Opens the inspector the first time; once it is open, Node ignores the signal.
  process.kill(pid, 'SIGUSR1');
  const deadline = performance.now() + timeoutMs;
  let target: string | undefined;
  while (!target) {
    const list = await fetch(`http://127.0.0.1:${inspectPort}/json/list`, { signal: AbortSignal.timeout(2_000) })
      .then((response) => response.json() as Promise<{ webSocketDebuggerUrl: string }[]>)
      .catch(() => undefined);
    target = list?.[0]?.webSocketDebuggerUrl;
    if (target) break;
    if (performance.now() > deadline) throw new Error(`process ${pid} opened no inspector on port ${inspectPort} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const session = await connect(target, deadline - performance.now());
  try {
    await session.send('HeapProfiler.collectGarbage');
    const { result } = (await session.send('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true })) as { result: { value: string } };
    const usage = JSON.parse(result.value) as NodeJS.MemoryUsage;
    return { heapMiB: usage.heapUsed / 2 ** 20, externalMiB: usage.external / 2 ** 20 };
  } finally {
    session.close();
  }
}

interface Session {
  send: (method: string, params?: object) => Promise<unknown>;
  close: () => void;
}

/** A Chrome DevTools Protocol session: each command answered by its id. */
async function connect(url: string, timeoutMs: number): Promise<Session> {
  const socket = new WebSocket(url, { handshakeTimeout: Math.max(1, Math.round(timeoutMs)) });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => {
      socket.off('error', reject);
      resolve();
    });
    socket.once('error', reject);
  });
  const waiting = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString()) as { id?: number; result?: unknown; error?: { message: string } };
    const call = message.id === undefined ? undefined : waiting.get(message.id);
    if (!call) return;
    waiting.delete(message.id!);
    if (message.error) call.reject(new Error(message.error.message));
    else call.resolve(message.result);
  });
  const failAll = (reason: string) => {
    for (const call of waiting.values()) call.reject(new Error(reason));
    waiting.clear();
  };
  // An error after the session opened fails the calls waiting on it; 'close' follows it.
  socket.on('error', (error) => failAll(`the inspector session failed: ${error.message}`));
  socket.on('close', () => failAll('the inspector closed the session'));
  let nextId = 1;
  return {
    send: (method, params = {}) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, { resolve, reject });
        socket.send(JSON.stringify({ id, method, params }));
      }),
    close: () => socket.close(),
  };
}
