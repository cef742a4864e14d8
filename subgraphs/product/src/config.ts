import type { Env } from '../../../lib/config.js';
import { readSubgraphConfig, type SubgraphConfig } from '../../../lib/subgraph-config.js';

export type ProductConfig = SubgraphConfig;

export function readProductConfig(env: Env): ProductConfig {
  return readSubgraphConfig(env, 'product', 4001);
}
