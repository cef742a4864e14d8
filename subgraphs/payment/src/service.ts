import type { SubgraphService } from '../../../lib/subgraphs.js';
import { readPaymentConfig, type PaymentConfig } from './config.js';
import { buildPaymentServer } from './server.js';

/** How `npm start`, the test system and the bench start this subgraph (lib/subgraphs.ts). */
export const service: SubgraphService<PaymentConfig> = { readConfig: readPaymentConfig, build: buildPaymentServer };
