import cluster from 'node:cluster';
import os from 'node:os';
import { readLogLevel, readNumber, type Env } from '../../lib/config.js';
import { createLogger, type LogLevel } from '../../lib/log.js';

export interface WorkerSettings {
  /** GATEWAY_WORKERS: how many processes serve the gateway's port; default one per core. */
  count: number;
  /** LOG_LEVEL of the primary's own lines (each worker reads it again in runService). */
  logLevel: LogLevel;
}

export function readWorkerSettings(env: Env): WorkerSettings {
  return {
    count: readNumber(env, 'GATEWAY_WORKERS', os.availableParallelism(), { min: 1, max: 256, integer: true }),
    logLevel: readLogLevel(env, 'info'),
  };
}

/**
 * Runs the gateway in `count` worker processes that share its port (node:cluster): query
 * planning and merging subgraph results are CPU work on one thread, so one process uses one
 * core. With one worker it simply runs here. The primary only supervises: it replaces a worker
 * that dies while serving, gives up if one dies before it ever listened (a bad setting would fail
 * the same way again), and passes SIGINT/SIGTERM on as SIGTERM: each worker drains its in-flight
 * requests (lib/main.ts), and the primary exits once all have, with 1 if any of them failed to.
 */
export async function runInWorkers({ count, logLevel }: WorkerSettings, serve: () => Promise<void>): Promise<void> {
  if (count <= 1 || !cluster.isPrimary) return serve();
  const logger = createLogger('gateway', logLevel);
  const listening = new Set<number>();
  let stopping = false;
  const alive = () => Object.values(cluster.workers ?? {}).filter((worker) => worker !== undefined);
  const stopAll = (signal: NodeJS.Signals, exitCode: number) => {
    stopping = true;
    process.exitCode = exitCode;
    for (const worker of alive()) worker.process.kill(signal);
    if (alive().length === 0) process.exit(exitCode);
  };
  cluster.on('listening', (worker) => listening.add(worker.id));
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (code !== 0) process.exitCode = 1;
      if (alive().length === 0) process.exit(process.exitCode ?? 0);
      return;
    }
    if (!listening.has(worker.id)) {
      logger.fatal({ code, signal }, 'a gateway worker failed to start; stopping');
      stopAll('SIGTERM', 1);
      return;
    }
    logger.error({ code, signal, pid: worker.process.pid }, 'a gateway worker died; starting another');
    cluster.fork();
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      logger.info({ signal }, 'gateway stopping: the workers finish their in-flight requests');
      stopAll('SIGTERM', 0);
    });
  }
  for (let i = 0; i < count; i += 1) cluster.fork();
}
