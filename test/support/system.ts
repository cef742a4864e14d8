import type { AuthConfig } from '../../lib/auth.js';
import type { RunningServer } from '../../lib/http.js';
import { readMetric } from '../../lib/metrics.js';
import { buildGateway } from '../../gateway/src/server.js';
import type { GatewayConfig } from '../../gateway/src/config.js';
import type { OrderConfig, SagaConfig } from '../../subgraphs/order/src/config.js';
import type { PaymentConfig } from '../../subgraphs/payment/src/config.js';
import type { ShippingConfig } from '../../subgraphs/shipping/src/config.js';
import type { GatewaySecurity } from '../../gateway/src/security.js';
import type { RecoveryConfig } from '../../subgraphs/order/src/saga/recovery.js';
import type { ConfirmBatchConfig } from '../../subgraphs/order/src/saga/confirmBatcher.js';
import type { PlaceOrderRateLimit } from '../../subgraphs/order/src/placeOrderRateLimit.js';
import { createLogger, type DestinationStream, type Logger } from '../../lib/log.js';
import { loadSubgraphService, SUBGRAPHS, subgraphUrlVariables } from '../../lib/subgraphs.js';
import { testAuth, TEST_JWT_SECRET, TEST_SERVICE_CREDENTIAL } from './auth.js';
import { createSubgraphDatabases } from './database.js';
import type { SystemDatabases } from './invariants.js';

/** The subgraphs every system has (lib/subgraphs.ts). */
export type SubgraphName = 'product' | 'payment' | 'shipping' | 'order';

export interface SystemOptions {
  /** Browser-facing gateway settings: playground, storefront, CORS, body limit. */
  gateway?: Partial<GatewayConfig>;
  payment?: { declineThreshold?: string; latencyMs?: number; failureRate?: number };
  /** A shipping subgraph slow to answer orders' shipments: a fixed delay (its SHIPPING_LATENCY_MS),
   *  or a hold the test lets go of (test/support/gate.ts). */
  shipping?: { latencyMs?: number; holdShipmentLookups?: () => Promise<void> };
  saga?: Partial<SagaConfig>;
  recovery?: Partial<RecoveryConfig>;
  /** When the order subgraph sends its batch of paid orders' confirmations. */
  confirmBatch?: Partial<ConfirmBatchConfig>;
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
  shipping: RunningServer;
  order: RunningServer;
  /** Every subgraph of the registry (lib/subgraphs.ts) by name, for a test that means "each subgraph". */
  subgraphs: Readonly<Record<string, RunningServer>>;
  /** Each subgraph's URL by name, as a gateway of a test's own is given them. */
  subgraphUrls: Readonly<Record<string, string>>;
  gateway: RunningServer;
  /** SQL statements each subgraph has sent so far (from its /metrics). */
  sqlStatements: () => Promise<Record<SubgraphName, number>>;
  stop: () => Promise<void>;
}

const quiet = createLogger('test', process.env.TEST_LOG_LEVEL ?? 'silent');

/** The settings every test subgraph starts with: the test credentials, fast saga retries. */
const TEST_ENV = { PORT: '0', JWT_SECRET: TEST_JWT_SECRET, SERVICE_CREDENTIAL: TEST_SERVICE_CREDENTIAL, SAGA_CALL_TIMEOUT_MS: '5000', SAGA_RETRY_BASE_MS: '20' };

/** What SystemOptions change in a subgraph's configuration, by subgraph; the others start as configured. */
const TEST_OPTIONS: Record<string, (config: any, options: SystemOptions) => unknown> = {
  // Not the default localhost:4003, which may be a developer's `npm start`: filled in below.
  shipping: (config: ShippingConfig, options) => ({ ...config, orderUrl: undefined, ...options.shipping }),
  payment: (config: PaymentConfig, options) => ({ ...config, processor: { ...config.processor, ...options.payment } }),
  order: (config: OrderConfig, options) => ({
    ...config,
    saga: { ...config.saga, ...options.saga },
    recovery: { ...config.recovery, ...options.recovery },
    confirmBatch: { ...config.confirmBatch!, ...options.confirmBatch },
    placeOrderRateLimit: options.placeOrderRateLimit ?? config.placeOrderRateLimit,
  }),
};

/** The whole supergraph on ephemeral ports, each subgraph (lib/subgraphs.ts) with a fresh database of its own. */
export async function startSystem(options: SystemOptions = {}): Promise<RunningSystem> {
  const databases = await createSubgraphDatabases(options.postgresUrl ?? process.env.TEST_POSTGRES_URL);
  const logger = (service: string): Logger => (options.logs ? createLogger(service, options.logLevel ?? 'debug', options.logs) : quiet);
  const auth = options.auth ?? testAuth.auth;
  const servers: Record<string, RunningServer> = {};
  const urls: Record<string, string> = {};
  // In the registry's order, so each subgraph is given the URLs of the peers started before it.
  const configs: Record<string, { orderUrl?: string }> = {};
  for (const entry of SUBGRAPHS) {
    const service = await loadSubgraphService(entry);
    const peers = entry.name === 'order' && options.routeSagaToProduct ? { ...urls, product: await options.routeSagaToProduct(urls.product!) } : urls;
    const config = { ...service.readConfig({ ...TEST_ENV, ...subgraphUrlVariables(peers), DATABASE_URL: databases[entry.name]! }), auth, gatewaySecret: options.gatewaySecret };
    configs[entry.name] = (TEST_OPTIONS[entry.name]?.(config, options) ?? config) as { orderUrl?: string };
    servers[entry.name] = await service.build(configs[entry.name], logger(entry.name));
    urls[entry.name] = servers[entry.name]!.url;
  }
  // Shipping starts before order (the saga calls it) and tells order of the shipments it moves: it
  // reads its orderUrl when it announces, so it is given the order subgraph's URL once that listens.
  configs.shipping!.orderUrl = urls.order;
  const gateway = await buildGateway(
    {
      port: 0,
      supergraphPath: 'schema/supergraph.graphql',
      subgraphUrls: urls,
      auth,
      security: { ...options.security, gatewaySecret: options.gatewaySecret },
      ...options.gateway,
    },
    logger('gateway'),
  );
  const statementsOf = async (server: RunningServer) =>
    readMetric(await (await fetch(server.url.replace('/graphql', '/metrics'))).text(), 'db_sql_statements_total');
  return {
    gatewayUrl: gateway.url,
    databases,
    product: servers.product!,
    payment: servers.payment!,
    shipping: servers.shipping!,
    order: servers.order!,
    subgraphs: servers,
    subgraphUrls: urls,
    gateway,
    sqlStatements: async () =>
      Object.fromEntries(await Promise.all(SUBGRAPHS.map(async ({ name }) => [name, await statementsOf(servers[name]!)] as const))) as Record<SubgraphName, number>,
    stop: async () => {
      await gateway.stop();
      await Promise.all(Object.values(servers).map((server) => server.stop()));
    },
  };
}

/** The gateway and every subgraph of the registry: the services a test of each one runs through. */
export const SERVICES: readonly string[] = ['gateway', ...SUBGRAPHS.map(({ name }) => name)];

/** The running server of one of SERVICES. */
export function serverOf(system: RunningSystem, service: string): RunningServer {
  const server = service === 'gateway' ? system.gateway : system.subgraphs[service];
  if (!server) throw new Error(`no service named ${service}`);
  return server;
}
