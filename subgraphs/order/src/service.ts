import type { SubgraphService } from '../../../lib/subgraphs.js';
import { readOrderConfig, type OrderConfig } from './config.js';
import { buildOrderServer } from './server.js';

/** How `npm start`, the test system and the bench start this subgraph (lib/subgraphs.ts). */
export const service: SubgraphService<OrderConfig> = { readConfig: readOrderConfig, build: buildOrderServer };
