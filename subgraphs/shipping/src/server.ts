import { createCallerResolver } from '../../../lib/context.js';
import { openDatabase } from '../../../lib/db.js';
import type { RunningServer } from '../../../lib/http.js';
import { createLogger, type Logger } from '../../../lib/log.js';
import { createMetrics } from '../../../lib/metrics.js';
import { startSubgraph } from '../../../lib/subgraph.js';
import type { ShippingConfig } from './config.js';
import { shippingContext } from './context.js';
import { entities } from './entities/index.js';
import { migrations } from './migrations/index.js';
import { resolvers } from './resolvers/index.js';

export async function buildShippingServer(config: ShippingConfig, logger: Logger = createLogger('shipping')): Promise<RunningServer> {
  const metrics = createMetrics('shipping');
  const orm = await openDatabase({ databaseUrl: config.databaseUrl, entities, migrations, metrics, logger });
  const callerOf = createCallerResolver(config);
  return startSubgraph({
    schemaFile: new URL('../schema.graphql', import.meta.url),
    resolvers,
    orm,
    port: config.port,
    logger,
    metrics,
    shutdownGraceMs: config.shutdownGraceMs,
    context: async (req, requestId) => shippingContext(orm.em.fork(), await callerOf(req), requestId),
  });
}
