import { drive, type LoadRequest } from './load.js';
import { liveMemory } from './inspector.js';
import { rssMiB } from './proc.js';
import type { Gateway, ProcessName, RunningSubgraphs } from './services.js';

export interface SoakSettings {
  /** Back-to-back windows of load; growth and latency are compared between them. */
  windows: number;
  windowSeconds: number;
  connections: number;
}

export interface SoakWindow {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  errorSamples: string[];
  /** Resident memory of each process at the end of the window, MiB. */
  rssMiB: Record<ProcessName, number>;
  /** Then, after a full garbage collection, V8's heap plus the memory its objects own outside it
   *  (scripts/bench/inspector.ts), MiB: of each process the bench can inspect. */
  liveMiB: Partial<Record<ProcessName, number>>;
}

export interface SoakCheck {
  name: string;
  ok: boolean;
  detail: string;
  /** Memory and latency trends are judged on a full soak only: a few seconds of a quick run
   *  under a busy machine show noise, not a trend. They are still printed. */
  judged: boolean;
}

export interface SoakReport {
  settings: SoakSettings;
  windows: SoakWindow[];
  checks: SoakCheck[];
}

/** Memory may grow this much from the end of the first window (the warm-up) to the end: live
 *  memory where the process can be inspected, resident memory where not. */
const MEMORY_GROWTH_LIMIT = 0.15;
/** The last window's p99 may be this many times the second window's. */
const P99_DRIFT_LIMIT = 1.5;

/**
 * The storefront mix through our gateway for windows × windowSeconds, with no pause: what a long
 * day does that a short run hides (leaks, a pool that starts queueing, latency creeping up).
 */
export async function runSoak(system: RunningSubgraphs, gateway: Gateway, load: LoadRequest, settings: SoakSettings, say: (line: string) => void, judgeTrends: boolean): Promise<SoakReport> {
  const processes: Record<ProcessName, { pid: number; inspectPort?: number }> = {
    gateway: { pid: gateway.pid, inspectPort: gateway.inspectPort },
    ...Object.fromEntries(Object.entries(system.subgraphs).map(([name, subgraph]) => [name, { pid: subgraph.server.pid, inspectPort: subgraph.inspectPort }])),
  };
  const acquireFailures = async () => Object.values(await system.metric('db_pool_acquire_failures_total')).reduce((sum, count) => sum + count, 0);
  const failuresBefore = await acquireFailures();
  const windows: SoakWindow[] = [];
  for (let window = 1; window <= settings.windows; window += 1) {
    say(`Soak: window ${window} of ${settings.windows} (${settings.windowSeconds} s) ...`);
    const result = await drive(gateway.url, load, { connections: settings.connections, durationSeconds: settings.windowSeconds, warmupSeconds: 0 });
    // Resident memory first: the collection that the live reading forces returns some of it.
    const rss = Object.fromEntries(Object.entries(processes).map(([name, { pid }]) => [name, rssMiB(pid)])) as Record<ProcessName, number>;
    const live: Partial<Record<ProcessName, number>> = {};
    for (const [name, { pid, inspectPort }] of Object.entries(processes)) {
      if (inspectPort === undefined) continue;
      const memory = await liveMemory({ pid, inspectPort });
      live[name] = memory.heapMiB + memory.externalMiB;
    }
    windows.push({ requestsPerSecond: result.requestsPerSecond, p50Ms: result.p50Ms, p99Ms: result.p99Ms, errors: result.errors, errorSamples: result.errorSamples, rssMiB: rss, liveMiB: live });
  }
  const failures = (await acquireFailures()) - failuresBefore;
  const first = windows[0]!;
  const last = windows.at(-1)!;
  const errors = windows.reduce((sum, window) => sum + window.errors, 0);
  const second = windows[1] ?? first;
  const checks: SoakCheck[] = [
    { name: 'no error', ok: errors === 0, detail: `${errors} errors in ${windows.length} windows${samplesOf(windows.flatMap((window) => window.errorSamples))}`, judged: true },
    { ...memoryCheck(first, last), judged: judgeTrends },
    { name: 'no query waited past the pool\'s acquire limit', ok: failures === 0, detail: `${failures} acquire failures (db_pool_acquire_failures_total)`, judged: true },
    {
      name: `the last window's p99 within ${P99_DRIFT_LIMIT}x the second's`,
      ok: last.p99Ms <= second.p99Ms * P99_DRIFT_LIMIT,
      detail: `${last.p99Ms} ms vs ${second.p99Ms} ms`,
      judged: judgeTrends,
    },
  ];
  return { settings, windows, checks };
}

/** Each process's memory from the end of the first window to the end of the last: live memory
 *  where it was read, resident memory where not. */
export function memoryCheck(first: Pick<SoakWindow, 'rssMiB' | 'liveMiB'>, last: Pick<SoakWindow, 'rssMiB' | 'liveMiB'>): Omit<SoakCheck, 'judged'> {
  const growth = Object.keys(first.rssMiB).map((process) => {
    const [reading, from, to] = first.liveMiB[process] !== undefined ? ['live', first.liveMiB[process]!, last.liveMiB[process]!] : ['resident', first.rssMiB[process]!, last.rssMiB[process]!];
    return { process, reading, from, to, growth: to / from - 1 };
  });
  return {
    name: `memory grows less than ${MEMORY_GROWTH_LIMIT * 100}% after the first window (live after a full collection; resident where it cannot be read)`,
    ok: growth.every((each) => each.growth < MEMORY_GROWTH_LIMIT),
    detail: growth.map((each) => `${each.process} ${each.reading} ${each.from.toFixed(0)} → ${each.to.toFixed(0)} MiB (${(each.growth * 100).toFixed(1)}%)`).join(', '),
  };
}

/** What the first errors were, for a failed check's detail. */
export function samplesOf(samples: string[]): string {
  return samples.length === 0 ? '' : `; first ${samples.length === 1 ? 'one' : samples.length}:\n    ${samples.slice(0, 3).join('\n    ')}`;
}
