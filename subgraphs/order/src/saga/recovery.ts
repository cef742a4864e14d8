import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../../../../lib/log.js';
import { driveOrder } from './driveOrder.js';
import type { SagaMetrics } from './metrics.js';
import type { Peers } from './peers.js';

export interface RecoveryConfig {
  /** An unfinished order untouched for this long is presumed abandoned by a crashed driver. */
  graceMs: number;
  /** How often each replica looks for abandoned orders. */
  intervalMs: number;
  /** How long a claim keeps other replicas away from an order. */
  leaseMs: number;
  batchSize: number;
}

export interface RecoveryDeps {
  orm: MikroORM;
  peers: Peers;
  metrics: SagaMetrics;
  logger: Logger;
  replicaId?: string;
  /** True once the replica is shutting down: orders not yet started are handed back. */
  isStopping?: () => boolean;
}

/**
 * Claims a batch of abandoned orders and drives each to PAID or CANCELLED. The claim is one
 * UPDATE over `FOR UPDATE SKIP LOCKED` rows with a lease, so replicas running this at the same
 * moment take disjoint orders, and an order whose recovery stalls is retried after its lease.
 */
export async function recoverAbandonedOrders(deps: RecoveryDeps, config: RecoveryConfig): Promise<string[]> {
  const owner = deps.replicaId ?? 'unknown';
  const claimed = await deps.orm.em.fork().execute<{ id: string }[]>(
    `update customer_order set lease_owner = ?, lease_until = now() + (? * interval '1 millisecond')
     where id in (
       select id from customer_order
       where saga_step <> 'DONE'
         and updated_at < now() - (? * interval '1 millisecond')
         and (lease_until is null or lease_until < now())
       order by updated_at
       limit ?
       for update skip locked)
     returning id`,
    [owner, config.leaseMs, config.graceMs, config.batchSize],
  );
  const recovered: string[] = [];
  for (const [index, { id }] of claimed.entries()) {
    if (deps.isStopping?.()) {
      // Shutting down: finish the order in hand, give the rest back to the other replicas now
      // rather than after the lease.
      const rest = claimed.slice(index).map((order) => order.id);
      await deps.orm.em.fork().execute(`update customer_order set lease_until = null where lease_owner = ? and id in (?)`, [owner, rest]);
      break;
    }
    // The batch's one lease started at the claim, and the orders before this one may have taken
    // longer than it (a slow peer): renewed only while still ours and unfinished, so an order
    // another replica has claimed since is left to it instead of being driven by both.
    const renewed = await deps.orm.em.fork().execute<{ id: string }[]>(
      `update customer_order set lease_until = now() + (? * interval '1 millisecond')
       where id = ? and lease_owner = ? and saga_step <> 'DONE' returning id`,
      [config.leaseMs, id, owner],
    );
    if (renewed.length === 0) continue;
    // Recovery's calls to the other subgraphs carry a request id of their own, so their log
    // lines there can be found from this order's.
    const requestId = `recovery-${randomUUID()}`;
    const logger = deps.logger.child({ requestId, replica: owner });
    try {
      const { done: finished } = await driveOrder({ em: deps.orm.em.fork(), peers: deps.peers, metrics: deps.metrics, logger, requestId, recovering: true }, id);
      deps.metrics.recovery(finished ? 'finished' : 'pending');
      // finished: false when the order is not done yet (a peer still away, or another driver
      // moved it first); it keeps its step, and a later pass or that driver finishes it.
      logger.info({ orderId: id, finished }, 'recovered order');
      recovered.push(id);
    } catch (error) {
      deps.metrics.recovery('failed');
      logger.error({ orderId: id, err: error }, 'order recovery failed; retried after the lease');
    }
  }
  return recovered;
}

/** Runs recovery at start and then periodically, never two passes at once in one replica. */
export function startRecoveryLoop(deps: RecoveryDeps, config: RecoveryConfig): { stop: () => Promise<void> } {
  let stopped = false;
  const replicaDeps = { ...deps, replicaId: deps.replicaId ?? randomUUID(), isStopping: () => stopped };
  let running: Promise<unknown> = Promise.resolve();
  const pass = () => {
    running = running
      .then(async () => {
        // Drain: keep claiming while full batches come back, so a backlog clears in one tick.
        while (!stopped && (await recoverAbandonedOrders(replicaDeps, config)).length === config.batchSize);
      })
      .catch((error: unknown) => deps.logger.warn({ err: error }, 'recovery pass failed; will try again'));
  };
  pass();
  const timer = setInterval(pass, config.intervalMs);
  timer.unref();
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
