import type { AuthConfig } from '../../lib/auth.js';
import type { RunningServer } from '../../lib/http.js';
import { readMetric } from '../../lib/metrics.js';
import { buildGateway } from '../../gateway/src/server.js';
import type { GatewayConfig } from '../../gateway/src/config.js';
import { buildProductServer } from '../../subgraphs/product/src/server.js';
import { buildPaymentServer } from '../../subgraphs/payment/src/server.js';
import { buildOrderServer } from '../../subgraphs/order/src/server.js';
import type { SagaConfig } from '../../subgraphs/order/src/config.js';
import type { GatewaySecurity } from '../../gateway/src/security.js';
import type { RecoveryConfig } from '../../subgraphs/order/src/saga/recovery.js';
import type { PlaceOrderRateLimit } from '../../subgraphs/order/src/placeOrderRateLimit.js';
import { createLogger, type DestinationStream, type Logger } from '../../lib/log.js';
import { testAuth, TEST_SERVICE_CREDENTIAL } from './auth.js';
import { createTestDatabase } from './database.js';
import type { SystemDatabases } from './invariants.js';

export interface SystemOptions {
  /** Browser-facing gateway settings: playground, storefront, CORS, body limit. */
  gateway?: Partial<GatewayConfig>;
  payment?: { declineThreshold?: string; latencyMs?: number; failureRate?: number };
  saga?: Partial<SagaConfig>;
  recovery?: Partial<RecoveryConfig>;
  /** The order subgraph's per-customer placeOrder limit. */
  placeOrderRateLimit?: PlaceOrderRateLimit;
  /** A PostgreSQL server other than the test run's shared one (to restart it under the system). */
  postgresUrl?: string;
  /** Puts something (a fault-injecting proxy) between the order saga and the product subgraph. */
  routeSagaToProduct?: (productUrl: string) => Promise<string>;
  /** Gateway protections (limits, rate limit, timeout, introspection). */
  security?: Partial<GatewaySecurity>;
  /** Subgraphs answer only the gateway (and the saga) when set. */
  gatewaySecret?: string;
  /** How every service verifies tokens (a JWKS, an issuer, an audience); default: HS256 with the
   *  test secret, which customerToken and adminToken sign with. */
  auth?: AuthConfig;
  /** Where every service writes its log lines (pino JSON, one per line), at `logLevel` (default
   *  debug). Without it the services log nothing. */
  logs?: DestinationStream;
  logLevel?: string;
}

export interface RunningSystem {
  gatewayUrl: string;
  databases: SystemDatabases;
  product: RunningServer;
  payment: RunningServer;
  order: RunningServer;
  gateway: RunningServer;
  /** SQL statements each subgraph has sent so far (from its /metrics). */
  sqlStatements: () => Promise<Record<'product' | 'payment' | 'order', number>>;
  stop: () => Promise<void>;
}

const quiet = createLogger('test', process.env.TEST_LOG_LEVEL ?? 'silent');

/** The whole supergraph on ephemeral ports, each subgraph with a fresh database of its own. */
export async function startSystem(options: SystemOptions = {}): Promise<RunningSystem> {
  const [productDb, paymentDb, orderDb] = await Promise.all(
    ['product', 'payment', 'order'].map((name) => createTestDatabase(name, options.postgresUrl ?? process.env.TEST_POSTGRES_URL)),
  ) as [string, string, string];
  const logger = (service: string): Logger => (options.logs ? createLogger(service, options.logLevel ?? 'debug', options.logs) : quiet);
  const credentials = { ...testAuth, auth: options.auth ?? testAuth.auth };
  const product = await buildProductServer({ port: 0, databaseUrl: productDb, ...credentials, gatewaySecret: options.gatewaySecret }, logger('product'));
  const payment = await buildPaymentServer(
    {
      port: 0,
      databaseUrl: paymentDb,
      ...credentials,
      gatewaySecret: options.gatewaySecret,
      processor: { declineThreshold: '1000.00', latencyMs: 0, failureRate: 0, ...options.payment },
    },
    logger('payment'),
  );
  const order = await buildOrderServer(
    {
      port: 0,
      databaseUrl: orderDb,
      ...credentials,
      gatewaySecret: options.gatewaySecret,
      saga: {
        productUrl: options.routeSagaToProduct ? await options.routeSagaToProduct(product.url) : product.url,
        paymentUrl: payment.url,
        serviceCredential: TEST_SERVICE_CREDENTIAL,
        callTimeoutMs: 5_000,
        chargeRetries: 2,
        retryBaseDelayMs: 20,
        ...options.saga,
      },
      recovery: { graceMs: 30_000, intervalMs: 10_000, leaseMs: 60_000, batchSize: 20, ...options.recovery },
      placeOrderRateLimit: options.placeOrderRateLimit,
    },
    logger('order'),
  );
  const gateway = await buildGateway(
    {
      port: 0,
      supergraphPath: 'schema/supergraph.graphql',
      subgraphUrls: { product: product.url, payment: payment.url, order: order.url },
      auth: credentials.auth,
      security: { ...options.security, gatewaySecret: options.gatewaySecret },
      ...options.gateway,
    },
    logger('gateway'),
  );
  const statementsOf = async (server: RunningServer) =>
    readMetric(await (await fetch(server.url.replace('/graphql', '/metrics'))).text(), 'db_sql_statements_total');
  return {
    gatewayUrl: gateway.url,
    databases: { product: productDb, payment: paymentDb, order: orderDb },
    product,
    payment,
    order,
    gateway,
    sqlStatements: async () => ({ product: await statementsOf(product), payment: await statementsOf(payment), order: await statementsOf(order) }),
    stop: async () => {
      await gateway.stop();
      await Promise.all([order.stop(), payment.stop(), product.stop()]);
    },
  };
}
