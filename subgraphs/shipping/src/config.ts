import { readNumber, readUrl, type Env } from '../../../lib/config.js';
import { readSubgraphConfig, type SubgraphConfig } from '../../../lib/subgraph-config.js';

export interface ShippingConfig extends SubgraphConfig {
  /** The order subgraph, told when an admin moves a shipment so the order's subscribers hear of
   *  it (orderAnnouncer.ts). Unset: nobody is told (a shipping subgraph tested on its own). Read
   *  when each announcement is sent, so a launcher that starts the order subgraph later can fill it in. */
  orderUrl?: string;
  /** For tests and benchmarks (SHIPPING_LATENCY_MS, default 0): how long looking up orders'
   *  shipments takes beyond the query itself, as a slow shipping service would, so what waits on
   *  shipping (a deferred shipment) can be seen waiting. */
  latencyMs?: number;
  /** A test's hold on the same lookups: each waits for it (test/support/system.ts). */
  holdShipmentLookups?: () => Promise<void>;
}

export function readShippingConfig(env: Env): ShippingConfig {
  return {
    ...readSubgraphConfig(env, 'shipping', 4004),
    orderUrl: readUrl(env, 'ORDER_URL', 'http://localhost:4003/graphql'),
    latencyMs: readNumber(env, 'SHIPPING_LATENCY_MS', 0, { min: 0, max: 600_000, integer: true }),
  };
}
