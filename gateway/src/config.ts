import { readAuthConfig, type AuthConfig } from '../../lib/auth.js';
import { SUBGRAPHS } from '../../lib/subgraphs.js';
import { ConfigError, readBoolean, readNumber, readOptionalString, readOptionalUrl, readPort, readShutdownGraceMs, readString, type Env } from '../../lib/config.js';
import { DEFAULT_QUERY_PLAN_CACHE_MIB, DEFAULT_QUERY_PLAN_WARMUP, type QueryPlanSettings } from './query-plans.js';
import { readGatewaySecurity, type GatewaySecurity } from './security.js';
import { DEFAULT_SUBSCRIPTIONS, type SubscriptionConfig } from './subscriptions/index.js';

export interface GatewayConfig {
  port: number;
  supergraphPath: string;
  /** Subgraph name (as in the supergraph) → URL that replaces the one composed into it. */
  subgraphUrls: Record<string, string>;
  auth: AuthConfig;
  /** Browser origins (scheme://host:port) allowed to call /graphql; "*" allows any. Default: none
   *  but the gateway's own, which is all the playground and the storefront need. */
  corsOrigins?: string[];
  /** Largest request body accepted, e.g. "100kb" (the default). */
  bodyLimit?: string;
  /** GraphiQL at / and /graphql for browsers. Default: off. */
  playground?: boolean;
  /** Prefilled into the playground's Authorization header. Only `npm start` sets it, with its
   *  demo customer's token: a deployed gateway never hands out a token. */
  playgroundToken?: string;
  /** The demo storefront (clients/web) at /shop/. Default: off. */
  storefront?: boolean;
  /** Operation limits, rate limit, request timeout, introspection; defaults when omitted. */
  security?: Partial<GatewaySecurity>;
  /** How long a stop lets in-flight requests finish (default 25 s). */
  shutdownGraceMs?: number;
  /** The query plan store's size and how many recent operations are planned again after a
   *  supergraph reload; defaults (30 MiB, 100) for what is omitted. */
  queryPlans?: Partial<QueryPlanSettings>;
  /** Apollo's anonymous gateway telemetry (cloud metadata probes at start, then hourly reports
   *  to Apollo). Default: off; APOLLO_TELEMETRY=true opts in. */
  apolloTelemetry?: boolean;
  /** Subscription limits and timings (README, "Subscriptions"); defaults for what is omitted. */
  subscriptions?: Partial<SubscriptionConfig>;
}

export function readGatewayConfig(env: Env): GatewayConfig {
  const subgraphUrls: Record<string, string> = {};
  for (const { name, urlVariable } of SUBGRAPHS) {
    const url = readOptionalUrl(env, urlVariable);
    if (url) subgraphUrls[name] = url;
  }
  // Developer pages are on unless the gateway runs in production; each can be switched explicitly.
  const development = env.NODE_ENV !== 'production';
  return {
    port: readPort(env, 'PORT', 4000),
    supergraphPath: readString(env, 'SUPERGRAPH_PATH', 'schema/supergraph.graphql'),
    subgraphUrls,
    auth: readAuthConfig(env),
    corsOrigins: readOrigins(env, 'CORS_ORIGINS'),
    bodyLimit: readBodyLimit(env, 'BODY_LIMIT', '100kb'),
    playground: readBoolean(env, 'PLAYGROUND', development),
    storefront: readBoolean(env, 'STOREFRONT', development),
    security: readGatewaySecurity(env),
    shutdownGraceMs: readShutdownGraceMs(env),
    queryPlans: {
      cacheMiB: readNumber(env, 'GATEWAY_QUERY_PLAN_CACHE_MIB', DEFAULT_QUERY_PLAN_CACHE_MIB, { min: 1, max: 1024, integer: true }),
      warmup: readNumber(env, 'GATEWAY_QUERY_PLAN_WARMUP', DEFAULT_QUERY_PLAN_WARMUP, { min: 0, max: 10_000, integer: true }),
    },
    apolloTelemetry: readBoolean(env, 'APOLLO_TELEMETRY', false),
    subscriptions: readSubscriptionConfig(env),
  };
}

function readSubscriptionConfig(env: Env): SubscriptionConfig {
  const d = DEFAULT_SUBSCRIPTIONS;
  const count = (name: string, fallback: number) => readNumber(env, name, fallback, { min: 1, max: 100_000, integer: true });
  const ms = (name: string, fallback: number) => readNumber(env, name, fallback, { min: 10, max: 3_600_000, integer: true });
  return {
    maxPerConnection: count('SUBSCRIPTIONS_PER_CONNECTION', d.maxPerConnection),
    maxPerCustomer: count('SUBSCRIPTIONS_PER_CUSTOMER', d.maxPerCustomer),
    maxConnectionsPerCustomer: count('SUBSCRIPTION_CONNECTIONS_PER_CUSTOMER', d.maxConnectionsPerCustomer),
    maxMessageBytes: readNumber(env, 'SUBSCRIPTION_MAX_MESSAGE_BYTES', d.maxMessageBytes, { min: 1024, max: 16 * 1024 * 1024, integer: true }),
    keepAliveMs: ms('SUBSCRIPTION_KEEPALIVE_MS', d.keepAliveMs),
    heartbeatMs: ms('SUBSCRIPTION_HEARTBEAT_MS', d.heartbeatMs),
    slowReaderMs: ms('SUBSCRIPTION_SLOW_READER_MS', d.slowReaderMs),
    maxBufferedBytes: readNumber(env, 'SUBSCRIPTION_MAX_BUFFERED_BYTES', d.maxBufferedBytes, { min: 1024, max: 1024 * 1024 * 1024, integer: true }),
    upstreamRetries: readNumber(env, 'SUBSCRIPTION_UPSTREAM_RETRIES', d.upstreamRetries, { min: 0, max: 1_000, integer: true }),
  };
}

/** A comma-separated list of origins such as "https://shop.example.com,http://localhost:5173". */
function readOrigins(env: Env, name: string): string[] {
  const list = (readOptionalString(env, name) ?? '').split(',').map((item) => item.trim()).filter(Boolean);
  for (const origin of list) {
    if (origin === '*') continue;
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin) {
      throw new ConfigError(`${name}: "${origin}" is not an origin; write scheme://host[:port] with no path or trailing slash, or *`);
    }
  }
  return list;
}

function readBodyLimit(env: Env, name: string, fallback: string): string {
  const value = readString(env, name, fallback).toLowerCase();
  if (!/^\d+(kb|mb)?$/.test(value)) throw new ConfigError(`${name} must be a size such as 100kb or 1mb, got "${value}"`);
  return value;
}
