import type { SubgraphService } from '../../../lib/subgraphs.js';
import { readProductConfig, type ProductConfig } from './config.js';
import { buildProductServer } from './server.js';

/** How `npm start`, the test system and the bench start this subgraph (lib/subgraphs.ts). */
export const service: SubgraphService<ProductConfig> = { readConfig: readProductConfig, build: buildProductServer };
