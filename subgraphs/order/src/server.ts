import { createCallerResolver } from '../../../lib/context.js';
import { openDatabase } from '../../../lib/db.js';
import type { RunningServer } from '../../../lib/http.js';
import { createLogger, type Logger } from '../../../lib/log.js';
import { createMetrics } from '../../../lib/metrics.js';
import { startSubgraph } from '../../../lib/subgraph.js';
import type { OrderConfig } from './config.js';
import { orderContext } from './context.js';
import { entities } from './entities/index.js';
import { migrations } from './migrations/index.js';
import { DEFAULT_PLACE_ORDER_RATE_LIMIT } from './placeOrderRateLimit.js';
import { resolvers } from './resolvers/index.js';
import { createSagaMetrics } from './saga/metrics.js';
import { DEFAULT_CONFIRM_BATCH, startConfirmBatcher } from './saga/confirmBatcher.js';
import { createPeers } from './saga/peers.js';
import { startRecoveryLoop } from './saga/recovery.js';

export async function buildOrderServer(config: OrderConfig, logger: Logger = createLogger('order')): Promise<RunningServer> {
  const metrics = createMetrics('order');
  const orm = await openDatabase({ databaseUrl: config.databaseUrl, entities, migrations, metrics, logger });
  const callerOf = createCallerResolver(config);
  const saga = { peers: createPeers(config.saga), metrics: createSagaMetrics(metrics.registry) };
  const recovery = startRecoveryLoop({ orm, ...saga, logger: logger.child({ component: 'recovery' }) }, config.recovery);
  const confirmations = startConfirmBatcher({ orm, ...saga, logger: logger.child({ component: 'confirm-batch' }) }, config.confirmBatch ?? DEFAULT_CONFIRM_BATCH);
  return startSubgraph({
    schemaFile: new URL('../schema.graphql', import.meta.url),
    resolvers,
    orm,
    port: config.port,
    logger,
    metrics,
    shutdownGraceMs: config.shutdownGraceMs,
    context: async (req, requestId, requestLogger) => orderContext(orm.em.fork(), await callerOf(req), requestId, { ...saga, confirmLater: confirmations.add }, config.placeOrderRateLimit ?? DEFAULT_PLACE_ORDER_RATE_LIMIT, requestLogger),
    // Both before the pool closes: the batcher sends what is queued (saga/confirmBatcher.ts).
    onClose: async () => {
      await Promise.all([recovery.stop(), confirmations.stop()]);
    },
  });
}
