import { readUrl, type Env } from '../../../lib/config.js';
import { readSubgraphConfig, type SubgraphConfig } from '../../../lib/subgraph-config.js';

export interface ShippingConfig extends SubgraphConfig {
  /** The order subgraph, told when an admin moves a shipment so the order's subscribers hear of
   *  it (orderAnnouncer.ts). Unset: nobody is told (a shipping subgraph tested on its own). Read
   *  when each announcement is sent, so a launcher that starts the order subgraph later can fill it in. */
  orderUrl?: string;
}

export function readShippingConfig(env: Env): ShippingConfig {
  return { ...readSubgraphConfig(env, 'shipping', 4004), orderUrl: readUrl(env, 'ORDER_URL', 'http://localhost:4003/graphql') };
}
