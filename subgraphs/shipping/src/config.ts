import type { Env } from '../../../lib/config.js';
import { readSubgraphConfig, type SubgraphConfig } from '../../../lib/subgraph-config.js';

export type ShippingConfig = SubgraphConfig;

export function readShippingConfig(env: Env): ShippingConfig {
  return readSubgraphConfig(env, 'shipping', 4004);
}
