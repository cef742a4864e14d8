import type { LoadResult } from './load.js';
import { SUBGRAPHS } from '../../lib/subgraphs.js';
import type { CpuMillis, SqlCounts } from './services.js';

export interface Row {
  scenario: string;
  gateway: string;
  result?: LoadResult;
  /** CPU milliseconds per request of the gateway under measure and of each subgraph. */
  cpuPerRequest?: CpuMillis;
  sqlPerRequest?: SqlCounts;
  /** Why there are no numbers (a peer that cannot run here). */
  note?: string;
}

const NAMES = SUBGRAPHS.map(({ name }) => name);
const HEADER = ['scenario', 'gateway', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'CPU ms/req gateway', ...NAMES, ...NAMES.map((name, i) => (i === 0 ? `SQL/req ${name}` : name))];

/** A Markdown table, so docs/performance.md can show a run exactly as it was printed. */
export function formatTable(rows: Row[]): string {
  const cells = rows.map((row) =>
    row.result
      ? [
          row.scenario,
          row.gateway,
          row.result.requestsPerSecond.toFixed(0),
          row.result.p50Ms.toFixed(0),
          row.result.p99Ms.toFixed(0),
          String(row.result.errors),
          ...['gateway', ...NAMES].map((name) => (row.cpuPerRequest ? (row.cpuPerRequest[name] ?? 0).toFixed(2) : '')),
          ...NAMES.map((name) => (row.sqlPerRequest ? (row.sqlPerRequest[name] ?? 0).toFixed(2) : '')),
        ]
      : [row.scenario, row.gateway, `not run: ${row.note ?? 'unknown'}`, ...HEADER.slice(3).map(() => '')],
  );
  const widths = HEADER.map((title, column) => Math.max(title.length, ...cells.filter((line) => line[3] !== '').map((line) => line[column]!.length)));
  const line = (values: string[]) => `| ${values.map((value, column) => (column >= 2 && value !== '' && !value.startsWith('not run') ? value.padStart(widths[column]!) : value.padEnd(widths[column]!))).join(' | ')} |`;
  return [line(HEADER), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}

export function ratio(ours: number, theirs: number): string {
  return theirs > 0 ? `${(ours / theirs).toFixed(2)}x` : 'n/a';
}

/** CPU milliseconds per request over every process the request ran through. */
export function totalCpuPerRequest(row: Row): number | undefined {
  return row.cpuPerRequest && Object.values(row.cpuPerRequest).reduce((sum, millis) => sum + millis, 0);
}
