import type { ApolloServerPlugin, GraphQLResponse } from '@apollo/server';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per service instance, so several services in one process (tests, `npm start`
 *  in-process helpers) never mix their numbers. */
export interface ServiceMetrics {
  registry: Registry;
  operationDuration: Histogram<'operation' | 'type'>;
  graphqlErrors: Counter<'code'>;
  sqlStatements: Counter<never>;
}

export function createMetrics(service: string): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    operationDuration: new Histogram({
      name: 'graphql_operation_duration_seconds',
      help: 'GraphQL operation duration by operation name',
      labelNames: ['operation', 'type'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    graphqlErrors: new Counter({ name: 'graphql_errors_total', help: 'GraphQL errors by code', labelNames: ['code'], registers: [registry] }),
    sqlStatements: new Counter({ name: 'db_sql_statements_total', help: 'SQL statements sent to PostgreSQL', registers: [registry] }),
  };
}

/** What the database pool holds at the moment of a scrape (knex's tarn pool). */
export interface PoolUse {
  used: number;
  free: number;
  pendingAcquires: number;
  max: number;
}

/**
 * Database pool gauges, read from the pool when Prometheus scrapes: nothing is counted on the hot
 * path. Pending acquires above zero mean requests are queueing for a connection (the pool, or
 * PostgreSQL's max_connections over all replicas, is too small). Reads zero once the pool is closed.
 */
export function observeDatabasePool(metrics: ServiceMetrics, read: () => PoolUse | undefined): { acquireFailed: () => void } {
  const gauge = (name: string, help: string, pick: (use: PoolUse) => number) =>
    new Gauge({
      name,
      help,
      registers: [metrics.registry],
      collect() {
        const use = read();
        this.set(use ? pick(use) : 0);
      },
    });
  gauge('db_pool_connections_used', 'Database connections lent to a query or transaction', (use) => use.used);
  gauge('db_pool_connections_free', 'Open database connections waiting idle in the pool', (use) => use.free);
  gauge('db_pool_pending_acquires', 'Queries waiting for a database connection', (use) => use.pendingAcquires);
  gauge('db_pool_connections_max', 'Most connections the pool opens', (use) => use.max);
  const failures = new Counter({
    name: 'db_pool_acquire_failures_total',
    help: 'Queries that waited past the acquire limit (5 s) without getting a connection, or whose connection could not be made',
    registers: [metrics.registry],
  });
  return { acquireFailed: () => failures.inc() };
}

/** The gateway's own: how long each subgraph takes to answer a fetch of the query plan. */
export function createSubgraphFetchMetric(metrics: ServiceMetrics): Histogram<'subgraph' | 'outcome'> {
  return new Histogram({
    name: 'gateway_subgraph_fetch_duration_seconds',
    help: 'Duration of the gateway\'s fetches to each subgraph; outcome is ok, http_error (a non-2xx answer) or failed (no answer)',
    labelNames: ['subgraph', 'outcome'],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [metrics.registry],
  });
}

/** The gateway's own: each lookup in its query plan store, a hit or a miss (planned on the request). */
export function createQueryPlanCacheMetric(metrics: ServiceMetrics): Counter<'result'> {
  return new Counter({
    name: 'gateway_query_plan_cache_total',
    help: 'Query plan store lookups; result is hit (a stored plan) or miss (planned on the request)',
    labelNames: ['result'],
    registers: [metrics.registry],
  });
}

export function metricsPlugin(metrics: ServiceMetrics): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const stopTimer = metrics.operationDuration.startTimer();
      return {
        async willSendResponse({ operationName, operation, response }) {
          stopTimer({ operation: operationName ?? 'anonymous', type: operation?.operation ?? 'unknown' });
          // The codes the client got: a domain error thrown by a resolver has its code only once formatted.
          for (const code of responseErrorCodes(response)) metrics.graphqlErrors.inc({ code });
        },
      };
    },
  };
}

/** The codes of the errors a response carries, as the client sees them. */
export function responseErrorCodes(response: GraphQLResponse): string[] {
  const errors = response.body.kind === 'single' ? response.body.singleResult.errors : response.body.initialResult.errors;
  return (errors ?? []).map((error) => String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
}

/** Reads one counter out of Prometheus text, summed over its series (those carrying all of
 *  `labels`): used by tests and the bench. */
export function readMetric(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  let total = 0;
  for (const line of text.split('\n')) {
    if (!(line.startsWith(`${name}{`) || line.startsWith(`${name} `))) continue;
    if (wanted.every((label) => line.includes(label))) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}
