import type { RunningServer } from '../../../lib/http.js';
import { createLogger, type Logger } from '../../../lib/log.js';
import { buildSubgraphServer } from '../../../lib/subgraph.js';
import type { ProductConfig } from './config.js';
import { productContext } from './context.js';
import { entities } from './entities/index.js';
import { migrations } from './migrations/index.js';
import { resolvers } from './resolvers/index.js';

export function buildProductServer(config: ProductConfig, logger: Logger = createLogger('product')): Promise<RunningServer> {
  return buildSubgraphServer(config, logger, {
    name: 'product',
    schemaFile: new URL('../schema.graphql', import.meta.url),
    entities,
    migrations,
    resolvers,
    start: () => ({ context: (em, caller, requestId) => productContext(em, caller, requestId) }),
  });
}
