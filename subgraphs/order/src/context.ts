import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '../../../lib/auth.js';
import type { Logger } from '../../../lib/log.js';
import type { Order } from './entities/Order.js';
import type { OrderLine } from './entities/OrderLine.js';
import type { OrderFeed } from './orderFeed.js';
import type { OrderUpdatesDeps } from './orderUpdates.js';
import type { PlaceOrderRateLimit } from './placeOrderRateLimit.js';
import { findLinesByOrderIds, findOrdersByIds } from './orders.js';
import type { SagaDeps } from './saga/driveOrder.js';
import type { SagaMetrics } from './saga/metrics.js';
import type { Peers } from './saga/peers.js';

export interface OrderContext {
  em: EntityManager;
  caller: Caller;
  requestId: string;
  saga: SagaDeps;
  placeOrderRateLimit: PlaceOrderRateLimit;
  loaders: {
    order: DataLoader<string, Order | null>;
    lines: DataLoader<string, OrderLine[]>;
  };
  /** A subscription's events each get new loaders (resolvers/Subscription.ts). */
  renewLoaders(): void;
  /** What the subscriptions read from: the change feed, this context's EntityManager and caller. */
  updates(): OrderUpdatesDeps;
}

function loadersFor(em: EntityManager): OrderContext['loaders'] {
  return {
    order: new DataLoader((ids) => findOrdersByIds(em, ids)),
    lines: new DataLoader((ids) => findLinesByOrderIds(em, ids)),
  };
}

/** Per request: its own EntityManager and DataLoaders (a page of orders loads its lines in one
 *  SELECT), and the request's logger, whose lines carry its id. */
export function orderContext(
  em: EntityManager,
  caller: Caller,
  requestId: string,
  saga: { peers: Peers; metrics: SagaMetrics; confirmLater?: (orderId: string) => void },
  placeOrderRateLimit: PlaceOrderRateLimit,
  logger: Logger,
  feed: OrderFeed,
): OrderContext {
  const context: OrderContext = {
    em,
    caller,
    requestId,
    saga: { em, ...saga, logger, requestId },
    placeOrderRateLimit,
    loaders: loadersFor(em),
    renewLoaders: () => void (context.loaders = loadersFor(em)),
    updates: () => ({ feed, em, caller }),
  };
  return context;
}
