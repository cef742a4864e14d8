import type { RunningServer } from '../../../lib/http.js';
import { createLogger, type Logger } from '../../../lib/log.js';
import { buildSubgraphServer } from '../../../lib/subgraph.js';
import type { OrderConfig } from './config.js';
import { orderContext } from './context.js';
import { entities } from './entities/index.js';
import { migrations } from './migrations/index.js';
import { DEFAULT_PLACE_ORDER_RATE_LIMIT } from './placeOrderRateLimit.js';
import { resolvers } from './resolvers/index.js';
import { createSagaMetrics } from './saga/metrics.js';
import { DEFAULT_CONFIRM_BATCH, startConfirmBatcher } from './saga/confirmBatcher.js';
import { createPeers } from './saga/peers.js';
import { createOrderFeed } from './orderFeed.js';
import { startRecoveryLoop } from './saga/recovery.js';

export function buildOrderServer(config: OrderConfig, logger: Logger = createLogger('order')): Promise<RunningServer> {
  return buildSubgraphServer(config, logger, {
    name: 'order',
    schemaFile: new URL('../schema.graphql', import.meta.url),
    entities,
    migrations,
    resolvers,
    start: ({ orm, metrics }) => {
      const saga = { peers: createPeers(config.saga), metrics: createSagaMetrics(metrics.registry) };
      const recovery = startRecoveryLoop({ orm, ...saga, logger: logger.child({ component: 'recovery' }) }, config.recovery);
      const confirmations = startConfirmBatcher({ orm, ...saga, logger: logger.child({ component: 'confirm-batch' }) }, config.confirmBatch ?? DEFAULT_CONFIRM_BATCH);
      const requestSaga = { ...saga, confirmLater: confirmations.add };
      const rateLimit = config.placeOrderRateLimit ?? DEFAULT_PLACE_ORDER_RATE_LIMIT;
      const feed = createOrderFeed(config.databaseUrl, logger.child({ component: 'order-feed' }));
      return {
        context: (em, caller, requestId, requestLogger) => orderContext(em, caller, requestId, requestSaga, rateLimit, requestLogger, feed),
        // Both before the pool closes: the batcher sends what is queued (saga/confirmBatcher.ts).
        stop: async () => {
          await Promise.all([recovery.stop(), confirmations.stop(), feed.stop()]);
        },
      };
    },
  });
}
