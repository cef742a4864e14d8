import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloGateway } from '@apollo/gateway';
import { createTokenVerifier } from '../../lib/auth.js';
import { createErrorFormatter, rethrowAsGraphQLError } from '../../lib/errors.js';
import { originAllowed, serve, type RunningServer } from '../../lib/http.js';
import { keepRequestRefusals, operationResolutionPlugin } from '../../lib/request-errors.js';
import { createLogger, type Logger } from '../../lib/log.js';
import { createMetrics, createQueryPlanCacheMetric, createSubgraphFetchMetric, metricsPlugin } from '../../lib/metrics.js';
import type { GatewayConfig } from './config.js';
import { mountPlayground } from './playground/index.js';
import { mountStorefront } from './storefront.js';
import { createSubgraphFetcher } from './subgraph-fetcher.js';
import { cacheVerifiedTokens } from '../../lib/token-cache.js';
import { ForwardingDataSource, type ForwardingContext } from './data-source.js';
import { createQueryPlans, DEFAULT_QUERY_PLAN_CACHE_MIB, DEFAULT_QUERY_PLAN_WARMUP } from './query-plans.js';
import { requestBodyChecker, securityPlugins, withSecurityDefaults } from './security.js';
import { readSupergraph, watchSupergraphFile } from './supergraph-file.js';
import { createGatewaySubscriptions, DEFAULT_SUBSCRIPTIONS } from './subscriptions/index.js';
import { incrementalDelivery } from './incremental/index.js';
import { declaringDefer } from './incremental/defer-directive.js';
import { createOperationChecker, tokenCounter } from './limits.js';
import { useFastResultShaping } from './result-shaping.js';

export interface GatewayContext extends ForwardingContext {
  customerId: string | null;
}

/**
 * @apollo/gateway starts its anonymous usage telemetry in its constructor unless
 * APOLLO_TELEMETRY_DISABLED is set: it probes the AWS, GCP and Alibaba metadata addresses and
 * reports to Apollo every hour. Nothing leaves the machine unless an operator configured it, so
 * it is off unless the config opts in. The variable is the only switch the library reads; when
 * opted in, an APOLLO_TELEMETRY_DISABLED the operator set still wins.
 */
function switchApolloTelemetry(enabled: boolean): void {
  if (!enabled) process.env.APOLLO_TELEMETRY_DISABLED = 'true';
}

export async function buildGateway(config: GatewayConfig, logger: Logger = createLogger('gateway')): Promise<RunningServer> {
  const metrics = createMetrics('gateway');
  const verify = cacheVerifiedTokens(createTokenVerifier(config.auth));
  const security = withSecurityDefaults(config.security);
  const checkRequestBody = requestBodyChecker(security.limits);
  const formatError = keepRequestRefusals(createErrorFormatter({ trustSubgraphCodes: true }));
  const fetcher = createSubgraphFetcher({ timeoutMs: security.requestTimeoutMs });
  const fetchDuration = createSubgraphFetchMetric(metrics);
  const queryPlans = createQueryPlans(
    { cacheMiB: DEFAULT_QUERY_PLAN_CACHE_MIB, warmup: DEFAULT_QUERY_PLAN_WARMUP, ...config.queryPlans },
    createQueryPlanCacheMetric(metrics),
    logger,
  );
  switchApolloTelemetry(config.apolloTelemetry ?? false);
  useFastResultShaping();
  const dataSource = (name: string, url: string) =>
    new ForwardingDataSource({ name, url: config.subgraphUrls[name] ?? url, fetcher, fetchDuration, gatewaySecret: security.gatewaySecret });
  const supergraphSdl = readSupergraph(config.supergraphPath);
  const corsOrigins = config.corsOrigins ?? [];
  // Subscriptions beside @apollo/gateway, which has none: planned by the same query planner on the
  // same supergraph file, their events resolved by its executor (subscriptions/engine.ts).
  const subscriptions = createGatewaySubscriptions({
    supergraphSdl,
    buildServiceMap: (subgraphs) => Object.fromEntries(subgraphs.map(({ name, url }) => [name, dataSource(name, url)])),
    urlOf: (name, composedUrl) => config.subgraphUrls[name] ?? composedUrl,
    verify,
    formatError,
    limits: security.limits,
    eventTimeoutMs: security.requestTimeoutMs,
    gatewaySecret: security.gatewaySecret,
    allowOrigin: (origin, host) => originAllowed(corsOrigins, origin, host),
    config: { ...DEFAULT_SUBSCRIPTIONS, ...config.subscriptions },
    metrics,
    logger,
  });
  const prepare = async (sdl: string) => {
    const [afterPlans, afterSubscriptions] = [await queryPlans.planFor(sdl), subscriptions.prepare(sdl)];
    return () => {
      afterPlans();
      afterSubscriptions();
    };
  };
  const gateway = new ApolloGateway({
    // The supergraph is composed ahead of time and committed: no composition at run time. A
    // changed file is picked up while the gateway runs, its plan store warmed before the swap.
    // Subgraphs are not contacted to start, so the gateway starts while one is down; that
    // subgraph's fields fail until it is back.
    supergraphSdl: watchSupergraphFile(config.supergraphPath, supergraphSdl, logger, { prepare }),
    queryPlannerConfig: queryPlans.plannerConfig,
    buildService: ({ name, url }) => dataSource(name, url!),
    logger,
  });
  return serve(
    new ApolloServer<GatewayContext>({
      gateway: declaringDefer(gateway),
      formatError,
      includeStacktraceInErrorResponses: false,
      stopOnTerminationSignals: false,
      introspection: security.introspection,
      // Batches are allowed (Apollo Client's BatchHttpLink) but capped: see requestBodyChecker.
      allowBatchedHttpRequests: true,
      plugins: [
        // Apollo's landing page loads its UI from a CDN; ours (mountPlayground) is self-contained.
        ApolloServerPluginLandingPageDisabled(),
        metricsPlugin(metrics),
        operationResolutionPlugin(),
        queryPlans.plugin,
        ...securityPlugins<GatewayContext>(security, formatError),
      ],
    }),
    {
      port: config.port,
      logger,
      metrics,
      shutdownGraceMs: config.shutdownGraceMs,
      // After the last request: the subgraph connections it kept alive.
      onClose: () => fetcher.close(),
      bodyLimit: config.bodyLimit ?? '100kb',
      corsOrigins,
      graphqlHandlers: [
        subscriptions.multipart,
        // @defer beside Apollo Server's gateway path, which answers one result only; the same
        // supergraph, data sources, limits and timeout as subscriptions and queries.
        incrementalDelivery({
          state: subscriptions.supergraph,
          verify,
          checkLimits: createOperationChecker(security.limits),
          countTokens: tokenCounter(security.limits),
          formatError,
          requestTimeoutMs: security.requestTimeoutMs,
          slowReaderMs: config.subscriptions?.slowReaderMs ?? DEFAULT_SUBSCRIPTIONS.slowReaderMs,
        }),
      ],
      streams: subscriptions.streams,
      routes: (app) => {
        mountPlayground(app, { enabled: config.playground ?? false, token: config.playgroundToken });
        mountStorefront(app, { enabled: config.storefront ?? false });
      },
      // serve() listens only once Apollo has started, which needs a supergraph that loads; a
      // changed file that does not is refused and the running one stays. So a gateway that
      // answers /ready at all has a usable supergraph. A subgraph that is down fails only its
      // own fields (SERVICE_UNAVAILABLE): it does not make the gateway unready.
      ready: async () => true,
      context: async (req, requestId, requestLogger) => {
        await checkRequestBody(req.body);
        const authorization = req.header('authorization');
        // Refuse a bad token at the edge, before any subgraph is called.
        const { customerId } = await verify(authorization).catch(rethrowAsGraphQLError);
        return { authorization, requestId, customerId, deadline: performance.now() + security.requestTimeoutMs, logger: requestLogger };
      },
    },
  );
}
