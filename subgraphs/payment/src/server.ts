import type { RunningServer } from '../../../lib/http.js';
import { createLogger, type Logger } from '../../../lib/log.js';
import { buildSubgraphServer } from '../../../lib/subgraph.js';
import type { PaymentConfig } from './config.js';
import { paymentContext } from './context.js';
import { entities } from './entities/index.js';
import { migrations } from './migrations/index.js';
import { resolvers } from './resolvers/index.js';

export function buildPaymentServer(config: PaymentConfig, logger: Logger = createLogger('payment')): Promise<RunningServer> {
  return buildSubgraphServer(config, logger, {
    name: 'payment',
    schemaFile: new URL('../schema.graphql', import.meta.url),
    entities,
    migrations,
    resolvers,
    start: () => ({ context: (em, caller, requestId) => paymentContext(em, caller, requestId, config.processor) }),
  });
}
