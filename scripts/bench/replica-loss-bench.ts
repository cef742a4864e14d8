import { SUBGRAPHS } from '../../lib/subgraphs.js';
import { startBenchPostgres } from './postgres.js';
import { runReplicaLoss, type ReplicaLossReport } from './replica-loss.js';
import { buildServices } from './services.js';

/** `npm run bench -- --replica-loss`: the production build on a fresh PostgreSQL. */
export async function benchReplicaLoss(root: string, settings: { customers: number; placed: number }, say: (line: string) => void): Promise<ReplicaLossReport> {
  say('Building the services ...');
  const build = buildServices(root);
  const postgres = await startBenchPostgres(SUBGRAPHS.map(({ database }) => database));
  try {
    return await runReplicaLoss(
      {
        root,
        build,
        databases: { product: postgres.databaseUrl('product'), payment: postgres.databaseUrl('payment'), shipping: postgres.databaseUrl('shipping'), order: postgres.databaseUrl('order') },
        customers: settings.customers,
        ordersBeforeKill: Math.ceil(settings.placed / 4),
        ordersAfterKill: Math.ceil(settings.placed / 2),
        env: { NODE_ENV: 'production' },
      },
      say,
    );
  } finally {
    await postgres.stop();
  }
}

export function describeReplicaLoss(report: ReplicaLossReport): string[] {
  const list = (counts: Record<string, number>) => Object.entries(counts).map(([outcome, count]) => `${count} ${outcome}`).join(', ') || 'none';
  return [
    `Orders placed: ${report.placed} (${list(report.ended)}).`,
    `Final answers through gateway A / B: ${report.answeredThrough.join(' / ')}; keys moved to the other gateway: ${report.failovers}.`,
    `Mid-saga on the killed replica: ${report.inFlightAtKill}, finished by the survivor as: ${list(report.inFlightEnded)}.`,
    `Errors the clients saw: ${list(report.clientErrors)}.`,
    `Invariants over ${report.invariants.orders} orders: ${report.invariants.violations.length === 0 ? 'ok' : `${report.invariants.violations.length} violations`}.`,
    ...(report.problems.length > 0 ? [`Problems:\n  ${report.problems.slice(0, 20).join('\n  ')}`] : []),
  ];
}
