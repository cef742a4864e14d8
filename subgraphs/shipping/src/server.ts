import type { RunningServer } from '../../../lib/http.js';
import { createLogger, type Logger } from '../../../lib/log.js';
import { buildSubgraphServer } from '../../../lib/subgraph.js';
import type { ShippingConfig } from './config.js';
import { shippingContext } from './context.js';
import { entities } from './entities/index.js';
import { migrations } from './migrations/index.js';
import { resolvers } from './resolvers/index.js';
import { createOrderAnnouncer } from './orderAnnouncer.js';

export function buildShippingServer(config: ShippingConfig, logger: Logger = createLogger('shipping')): Promise<RunningServer> {
  return buildSubgraphServer(config, logger, {
    name: 'shipping',
    schemaFile: new URL('../schema.graphql', import.meta.url),
    entities,
    migrations,
    resolvers,
    start: () => {
      const announce = createOrderAnnouncer(config, logger.child({ component: 'order-announcer' }));
      return { context: (em, caller, requestId) => shippingContext(em, caller, requestId, announce, config) };
    },
  });
}
