import type http from 'node:http';
import type { RequestHandler } from 'express';
import { Counter, Gauge } from 'prom-client';
import type { TokenVerifier } from '../../../lib/auth.js';
import type { ErrorFormatter } from '../../../lib/errors.js';
import type { Logger } from '../../../lib/log.js';
import type { ServiceMetrics } from '../../../lib/metrics.js';
import type { OperationLimits } from '../limits.js';
import { createOperationChecker, tokenCounter } from '../limits.js';
import { createSubscriptionEngine } from './engine.js';
import { multipartSubscriptions } from './multipart.js';
import { buildSupergraphState, type ServiceMapBuilder, type SupergraphState } from './supergraph-state.js';
import { createUpstreams } from './upstream.js';
import { serveWebSocketSubscriptions } from './websocket.js';

/** Every subscription setting, each with its environment variable (gateway/src/config.ts). */
export interface SubscriptionConfig {
  maxPerConnection: number;
  maxPerCustomer: number;
  maxConnectionsPerCustomer: number;
  maxMessageBytes: number;
  keepAliveMs: number;
  heartbeatMs: number;
  slowReaderMs: number;
  maxBufferedBytes: number;
  upstreamRetries: number;
}

export const DEFAULT_SUBSCRIPTIONS: SubscriptionConfig = {
  maxPerConnection: 25,
  maxPerCustomer: 50,
  maxConnectionsPerCustomer: 10,
  maxMessageBytes: 64 * 1024,
  keepAliveMs: 12_000,
  heartbeatMs: 5_000,
  slowReaderMs: 10_000,
  maxBufferedBytes: 1024 * 1024,
  upstreamRetries: 10,
};

export interface GatewaySubscriptions {
  /** For the supergraph watcher: builds the new supergraph's side; the function swaps it in. */
  prepare(supergraphSdl: string): () => void;
  /** The supergraph as planned and executed against now (also by @defer, incremental/). */
  supergraph(): SupergraphState;
  /** POST /graphql handler for multipart subscriptions, before Apollo Server's. */
  multipart: RequestHandler;
  /** Attaches the WebSocket endpoint; its close() ends every stream cleanly. */
  streams(httpServer: http.Server): { close(): Promise<void> };
}

export interface SubscriptionDeps {
  supergraphSdl: string;
  buildServiceMap: ServiceMapBuilder;
  urlOf: (subgraph: string, composedUrl: string) => string;
  verify: TokenVerifier;
  formatError: ErrorFormatter;
  limits: OperationLimits;
  eventTimeoutMs: number;
  gatewaySecret?: string;
  allowOrigin: (origin: string | undefined, host: string | undefined) => boolean;
  config: SubscriptionConfig;
  metrics: ServiceMetrics;
  logger: Logger;
}

export function createGatewaySubscriptions(deps: SubscriptionDeps): GatewaySubscriptions {
  const { config, logger } = deps;
  let state: SupergraphState = buildSupergraphState(deps.supergraphSdl, deps.buildServiceMap);
  const registry = deps.metrics.registry;
  const metrics = {
    open: new Gauge({ name: 'gateway_subscriptions_open', help: 'Subscriptions open now, by transport', labelNames: ['transport'] as const, registers: [registry] }),
    events: new Counter({ name: 'gateway_subscription_events_total', help: 'Subscription events sent to clients, by transport', labelNames: ['transport'] as const, registers: [registry] }),
    slowReaders: new Counter({ name: 'gateway_subscription_slow_readers_total', help: 'Subscribers dropped for not reading their events', labelNames: ['transport'] as const, registers: [registry] }),
    connections: new Gauge({ name: 'gateway_subscription_connections', help: 'WebSocket connections open now', registers: [registry] }),
  };
  const upstreams = createUpstreams({ retryAttempts: config.upstreamRetries, gatewaySecret: deps.gatewaySecret }, logger);
  const engine = createSubscriptionEngine({
    state: () => state,
    upstreams,
    urlOf: (subgraph) => deps.urlOf(subgraph, state.subgraphUrls[subgraph] ?? ''),
    checkLimits: createOperationChecker(deps.limits),
    countTokens: tokenCounter(deps.limits),
    formatError: deps.formatError,
    settings: { maxPerCustomer: config.maxPerCustomer, eventTimeoutMs: deps.eventTimeoutMs },
    metrics,
  });
  return {
    prepare(supergraphSdl) {
      let next: SupergraphState | undefined;
      try {
        next = buildSupergraphState(supergraphSdl, deps.buildServiceMap);
      } catch (error) {
        logger.debug({ reason: String(error) }, 'subscriptions keep the previous supergraph: the new one does not build');
      }
      return () => {
        if (next) state = next;
      };
    },
    supergraph: () => state,
    multipart: multipartSubscriptions(engine, deps.verify, deps.formatError, config, logger, metrics.slowReaders),
    streams(httpServer) {
      const websocket = serveWebSocketSubscriptions(httpServer, { engine, verify: deps.verify, settings: { ...config, allowOrigin: deps.allowOrigin }, logger, metrics });
      return {
        async close() {
          await websocket.close();
          await upstreams.close();
        },
      };
    },
  };
}
