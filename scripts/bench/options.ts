import { parseArgs } from 'node:util';
import type { LoadSettings } from './load.js';

export interface BenchOptions {
  quick: boolean;
  load: LoadSettings;
  /** Gateway workers, ours (GATEWAY_WORKERS) and each peer's (--fork) alike. */
  workers: number;
  products: number;
  orders: number;
  /** Also measure the nested query on ten times the order history. */
  historyTenfold: boolean;
  /** Where to write the results as JSON, besides the printed table. */
  jsonPath?: string;
  /** Instead of the table: lose one of two order replicas under placeOrder load (replica-loss.ts). */
  replicaLoss?: { customers: number; placed: number };
}

export const USAGE = `usage: npm run bench [-- --quick] [--duration <s>] [--connections <n>] [--workers <n>] [--json <file>]
       npm run bench -- --replica-loss [--quick] [--connections <n>] [--placed <n>] [--json <file>]

  --quick          a short run (seconds per scenario instead of ten), as the test suite runs it
  --duration       measured seconds per scenario (default 10, quick 2)
  --connections    concurrent connections of the load generator (default 16, quick 8)
  --workers        gateway workers, ours and each peer's (default 1)
  --json           also write the results to this file
  --replica-loss   two gateways, two order replicas: kill one with SIGKILL mid-load, never restart it,
                   and check every order still ends PAID or CANCELLED (instead of the table)
  --placed         orders the replica-loss run places, half before the kill (default 2000, quick 80);
                   --connections is its number of customers (default 32, quick 16)`;

export class UsageError extends Error {}

export function readBenchOptions(args: string[]): BenchOptions | null {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        quick: { type: 'boolean', default: false },
        duration: { type: 'string' },
        connections: { type: 'string' },
        workers: { type: 'string', default: '1' },
        json: { type: 'string' },
        'replica-loss': { type: 'boolean', default: false },
        placed: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return null;
  const quick = values.quick;
  return {
    quick,
    load: {
      durationSeconds: count(values.duration, '--duration', quick ? 2 : 10, 1, 600),
      warmupSeconds: quick ? 1 : 3,
      connections: count(values.connections, '--connections', quick ? 8 : 16, 1, 1000),
    },
    workers: count(values.workers, '--workers', 1, 1, 64),
    products: 1_000,
    orders: 5_000,
    historyTenfold: !quick,
    jsonPath: values.json,
    replicaLoss: values['replica-loss']
      ? { customers: count(values.connections, '--connections', quick ? 16 : 32, 2, 1000), placed: count(values.placed, '--placed', quick ? 80 : 2000, 2, 1_000_000) }
      : undefined,
  };
}

function count(text: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) throw new UsageError(`${name} must be a whole number from ${min} to ${max}, got "${text}"`);
  return value;
}
