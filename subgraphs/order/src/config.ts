import { readNumber, readUrl, type Env } from '../../../lib/config.js';
import { readSubgraphConfig, type SubgraphConfig } from '../../../lib/subgraph-config.js';
import { DEFAULT_PLACE_ORDER_RATE_LIMIT, type PlaceOrderRateLimit } from './placeOrderRateLimit.js';
import { DEFAULT_CONFIRM_BATCH, type ConfirmBatchConfig } from './saga/confirmBatcher.js';
import type { RecoveryConfig } from './saga/recovery.js';

export interface SagaConfig {
  productUrl: string;
  paymentUrl: string;
  shippingUrl: string;
  serviceCredential: string;
  /** Time limit of one call to another subgraph. */
  callTimeoutMs: number;
  /** Retries of a charge that failed transiently (the contract says 2). */
  chargeRetries: number;
  /** First backoff delay; doubles per retry, with jitter. */
  retryBaseDelayMs: number;
}

export interface OrderConfig extends SubgraphConfig {
  saga: SagaConfig;
  recovery: RecoveryConfig;
  /** Default: 100 orders or 50 ms, whichever comes first. */
  confirmBatch?: ConfirmBatchConfig;
  /** Default: 60 calls per customer per 60 s. */
  placeOrderRateLimit?: PlaceOrderRateLimit;
}

export function readOrderConfig(env: Env): OrderConfig {
  const common = readSubgraphConfig(env, 'order', 4003);
  const { serviceCredential } = common;
  return {
    ...common,
    saga: {
      productUrl: readUrl(env, 'PRODUCT_URL', 'http://localhost:4001/graphql'),
      paymentUrl: readUrl(env, 'PAYMENT_URL', 'http://localhost:4002/graphql'),
      shippingUrl: readUrl(env, 'SHIPPING_URL', 'http://localhost:4004/graphql'),
      serviceCredential,
      // Worst case with the payment service hanging: 3 charge attempts of 4 s plus backoff (12.5 s
      // measured), and if its refunds hang too, a void that waits one more call limit: 16.6 s at
      // most, inside the ~20 s a client is promised (subgraphs/order/test/config.test.ts).
      callTimeoutMs: readNumber(env, 'SAGA_CALL_TIMEOUT_MS', 4_000, { min: 100, max: 60_000, integer: true }),
      chargeRetries: readNumber(env, 'SAGA_CHARGE_RETRIES', 2, { min: 0, max: 10, integer: true }),
      retryBaseDelayMs: readNumber(env, 'SAGA_RETRY_BASE_MS', 200, { min: 0, max: 10_000, integer: true }),
    },
    recovery: {
      // Longer than the slowest live saga (~20 s), so recovery never races a request that is still running.
      graceMs: readNumber(env, 'RECOVERY_GRACE_MS', 30_000, { min: 0, integer: true }),
      intervalMs: readNumber(env, 'RECOVERY_INTERVAL_MS', 10_000, { min: 50, integer: true }),
      leaseMs: readNumber(env, 'RECOVERY_LEASE_MS', 60_000, { min: 100, integer: true }),
      batchSize: readNumber(env, 'RECOVERY_BATCH_SIZE', 20, { min: 1, max: 1000, integer: true }),
    },
    confirmBatch: {
      // The product subgraph takes 500 at most per call.
      maxOrders: readNumber(env, 'CONFIRM_BATCH_SIZE', DEFAULT_CONFIRM_BATCH.maxOrders, { min: 1, max: 500, integer: true }),
      delayMs: readNumber(env, 'CONFIRM_BATCH_DELAY_MS', DEFAULT_CONFIRM_BATCH.delayMs, { min: 1, max: 3_600_000, integer: true }),
    },
    placeOrderRateLimit: {
      points: readNumber(env, 'PLACE_ORDER_RATE_LIMIT', DEFAULT_PLACE_ORDER_RATE_LIMIT.points, { min: 1, max: 1_000_000, integer: true }),
      windowSeconds: readNumber(env, 'PLACE_ORDER_RATE_WINDOW_SECONDS', DEFAULT_PLACE_ORDER_RATE_LIMIT.windowSeconds, { min: 1, max: 1_000_000, integer: true }),
    },
  };
}
