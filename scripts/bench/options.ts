import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { LoadSettings } from './load.js';
import type { SoakSettings } from './soak.js';

export interface BenchOptions {
  quick: boolean;
  load: LoadSettings;
  /** Gateway workers, ours (GATEWAY_WORKERS) and each peer's (--fork, Tokio threads) alike. */
  workers: number;
  /** How many times each gateway is measured, in turn with the others, on the compared scenarios. */
  rounds: number;
  products: number;
  orders: number;
  /** Also measure the nested query on ten times the order history. */
  historyTenfold: boolean;
  /** Also measure the admin page with its count on 10,000 and on 2,000,000 orders. */
  countHistory: boolean;
  soak: SoakSettings;
  /** Where to write the results as JSON, besides the printed table. */
  jsonPath?: string;
  /** Where each service writes its CPU profile (node --cpu-prof), one folder per service. */
  cpuProfileDir?: string;
  /** Start no peer gateway: ours alone, for a quicker look while working on it. */
  noPeers: boolean;
  /** Measure only the scenarios whose name contains this ("soak" for the soak). */
  only?: string;
  /** Instead of the table: lose one of two order replicas under placeOrder load (replica-loss.ts). */
  replicaLoss?: { customers: number; placed: number };
  /** Instead of the table: the subgraphs' CPU profiles under each gateway in turn, into this folder (subgraph-profiles.ts). */
  subgraphProfilesDir?: string;
}

export const USAGE = `usage: npm run bench [-- --quick] [--duration <s>] [--connections <n>] [--workers <n>] [--rounds <n>] [--soak-minutes <n>] [--json <file>]
       npm run bench -- --replica-loss [--quick] [--connections <n>] [--placed <n>] [--json <file>]
       npm run bench -- --subgraph-profiles <dir> [--quick] [--duration <s>] [--no-peers] [--json <file>]

  --quick          a short run (seconds per scenario, a 15 s soak), as the test suite runs it
  --duration       measured seconds per scenario (default 10, quick 2)
  --connections    concurrent connections of the load generator (default 16, quick 8)
  --workers        gateway workers, ours and each peer's (default 1)
  --rounds         times each gateway is measured, alternating with the peers (default 2, quick 1)
  --soak-minutes   minutes of the storefront mix after the scenarios, checked for errors, memory
                   growth, pool waits and latency drift (default 10; 0 skips it)
  --json           also write the results to this file
  --cpu-prof <dir> profile every service (node --cpu-prof) and print where its CPU time went
  --no-peers       measure our gateway alone (no Hive Gateway, no Grafbase)
  --only <text>    measure only the scenarios whose name contains it ("16 admins", "storefront", "soak")
  --replica-loss   two gateways, two order replicas: kill one with SIGKILL mid-load, never restart it,
                   and check every order still ends PAID or CANCELLED (instead of the table)
  --placed         orders the replica-loss run places, half before the kill (default 2000, quick 80);
                   --connections is its number of customers (default 32, quick 16)
  --subgraph-profiles <dir>
                   instead of the table: for each gateway in turn, fresh subgraphs under node --cpu-prof
                   serve it the nested page (a warm-up and a measured run); prints CPU per request and
                   where each subgraph's time went, and leaves the profiles in <dir>/<gateway>/<subgraph>

npm run soak is npm run bench with only the soak worth waiting for: --duration 2 --rounds 1.`;

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
        rounds: { type: 'string' },
        'soak-minutes': { type: 'string' },
        json: { type: 'string' },
        'cpu-prof': { type: 'string' },
        'no-peers': { type: 'boolean', default: false },
        only: { type: 'string' },
        'replica-loss': { type: 'boolean', default: false },
        placed: { type: 'string' },
        'subgraph-profiles': { type: 'string' },
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
  const connections = count(values.connections, '--connections', quick ? 8 : 16, 1, 1000);
  const soakMinutes = count(values['soak-minutes'], '--soak-minutes', quick ? 1 : 10, 0, 24 * 60);
  return {
    quick,
    load: { durationSeconds: count(values.duration, '--duration', quick ? 2 : 10, 1, 600), warmupSeconds: quick ? 1 : 3, connections },
    workers: count(values.workers, '--workers', 1, 1, 64),
    rounds: count(values.rounds, '--rounds', quick ? 1 : 2, 1, 20),
    products: 1_000,
    orders: 5_000,
    historyTenfold: !quick,
    countHistory: !quick,
    // Quick: the first minute's shape in 15 s (three 5 s windows), so the suite stays fast.
    soak: quick ? { windows: soakMinutes > 0 ? 3 : 0, windowSeconds: 5, connections } : { windows: soakMinutes, windowSeconds: 60, connections },
    jsonPath: values.json,
    cpuProfileDir: values['cpu-prof'] && resolve(values['cpu-prof']),
    noPeers: values['no-peers'],
    only: values.only,
    replicaLoss: values['replica-loss']
      ? { customers: count(values.connections, '--connections', quick ? 16 : 32, 2, 1000), placed: count(values.placed, '--placed', quick ? 80 : 2000, 2, 1_000_000) }
      : undefined,
    subgraphProfilesDir: values['subgraph-profiles'] && resolve(values['subgraph-profiles']),
  };
}

function count(text: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) throw new UsageError(`${name} must be a whole number from ${min} to ${max}, got "${text}"`);
  return value;
}
