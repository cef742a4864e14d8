import { PUBLIC_ERROR_CODES } from '../../lib/errors.js';
import { checkInvariants, rows as query, type InvariantReport, type SystemDatabases } from '../invariants.js';
import type { ClientLoad } from './failover-clients.js';

export interface ReplicaLossReport {
  /** Orders recorded: one per idempotency key the clients sent. */
  placed: number;
  /** The killed replica's orders that were mid-saga when it died, and how each ended. */
  inFlightAtKill: number;
  inFlightEnded: Record<string, number>;
  ended: Record<string, number>;
  /** Final answers through gateway A (whose order replica is killed) and gateway B. */
  answeredThrough: number[];
  failovers: number;
  clientErrors: Record<string, number>;
  invariants: InvariantReport;
  /** Everything that broke a promise; empty when the run is clean. */
  problems: string[];
}

function tally(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

/** What became of every order the run placed, and every promise it broke. */
export async function reportReplicaLoss(databases: SystemDatabases, load: ClientLoad, prefix: string, stranded: string[], initialStock: Map<string, number>): Promise<ReplicaLossReport> {
  const recorded = await query<{ id: string; customer_id: string; idempotency_key: string; status: string; cancellation_code: string | null }>(
    databases.order,
    'select id, customer_id, idempotency_key, status, cancellation_code from customer_order where customer_id like $1',
    [`${prefix}%`],
  );
  const outcome = (order: (typeof recorded)[number]) => (order.cancellation_code ? `${order.status} ${order.cancellation_code}` : order.status);
  const byId = new Map(recorded.map((order) => [order.id, order]));
  const byKey = new Map(recorded.map((order) => [`${order.customer_id}/${order.idempotency_key}`, order]));
  const doubled = await query<{ order_id: string }>(databases.payment, 'select order_id from payment where customer_id like $1 group by order_id having count(*) > 1', [`${prefix}%`]);
  const invariants = await checkInvariants(databases, initialStock, prefix);
  const problems = [...invariants.violations];
  if (stranded.length === 0) problems.push('the kill caught no order mid-saga: nothing was left for recovery');
  for (const order of doubled) problems.push(`order ${order.order_id} has more than one payment`);
  for (const placed of load.keys) {
    const order = byKey.get(`${placed.customerId}/${placed.key}`);
    if (!order) problems.push(`key ${placed.customerId}/${placed.key} left no order (last answer ${placed.status ?? 'none'})`);
    else if (order.status !== placed.status) problems.push(`order ${order.id} is ${order.status} but its client last saw ${placed.status ?? 'no order'}`);
  }
  if (recorded.length !== load.keys.length) problems.push(`${recorded.length} orders recorded for ${load.keys.length} idempotency keys`);
  for (const code of load.errorCodes.keys()) if (!(PUBLIC_ERROR_CODES as readonly string[]).includes(code) || code === 'INTERNAL_SERVER_ERROR') problems.push(`a client saw the error code ${code}`);
  return {
    placed: recorded.length,
    inFlightAtKill: stranded.length,
    inFlightEnded: tally(stranded.map((id) => (byId.has(id) ? outcome(byId.get(id)!) : 'missing'))),
    ended: tally(recorded.map(outcome)),
    answeredThrough: load.answeredThrough,
    failovers: load.failovers,
    clientErrors: Object.fromEntries(load.errorCodes),
    invariants,
    problems,
  };
}
