import type { SubgraphService } from '../../../lib/subgraphs.js';
import { readShippingConfig, type ShippingConfig } from './config.js';
import { buildShippingServer } from './server.js';

/** How `npm start`, the test system and the bench start this subgraph (lib/subgraphs.ts). */
export const service: SubgraphService<ShippingConfig> = { readConfig: readShippingConfig, build: buildShippingServer };
