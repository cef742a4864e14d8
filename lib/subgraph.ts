import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLSchema } from 'graphql';
import { serveSubgraphSubscriptions } from './subgraph-subscriptions.js';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { GraphQLRequestView } from './lean-graphql.js';
import type { MigrationObject } from '@mikro-orm/core';
import type { EntityManager, EntitySchema, MikroORM } from '@mikro-orm/postgresql';
import type { Caller } from './auth.js';
import { createCallerResolver } from './context.js';
import { createErrorFormatter } from './errors.js';
import { serve, type RunningServer } from './http.js';
import { entityColumns, openDatabase } from './db.js';
import { createDatabaseProbe, type DatabaseProbe } from './readiness.js';
import { loadSdl } from './sdl.js';
import { refuseNulCharactersPlugin } from './input-guard.js';
import { keepRequestRefusals, operationResolutionPlugin } from './request-errors.js';
import { createMetrics, metricsPlugin, type ServiceMetrics } from './metrics.js';
import type { Logger } from './log.js';
import type { SubgraphConfig } from './subgraph-config.js';

export interface SubgraphOptions<TContext extends BaseContext> {
  schemaFile: URL;
  resolvers: GraphQLResolverMap<any>;
  orm: MikroORM;
  port: number;
  logger: Logger;
  metrics: ServiceMetrics;
  /** See ServeOptions.context: `logger` is the request's own. */
  context: (req: GraphQLRequestView, requestId: string, logger: Logger) => Promise<TContext>;
  /** See ServeOptions.shutdownGraceMs. */
  shutdownGraceMs?: number;
  onClose?: () => Promise<void>;
}

/** What every subgraph shares: its SDL file as the schema, masked errors, metrics, and
 *  readiness tied to its database (lib/readiness.ts). From the moment it is called it owns the
 *  database and `onClose` (the order subgraph's recovery loop): closing the server closes them,
 *  and so does any failure to start, from a schema that does not build to a busy port. */
export async function startSubgraph<TContext extends BaseContext>(options: SubgraphOptions<TContext>): Promise<RunningServer> {
  // Opened by the first probe, so a subgraph that never starts opens no connection for it.
  let probe: DatabaseProbe | undefined;
  const close = async () => {
    try {
      await options.onClose?.();
    } finally {
      await Promise.all([options.orm.close(true), probe?.close()]);
    }
  };
  let apollo: ApolloServer<TContext>;
  let schema: GraphQLSchema;
  const formatError = createErrorFormatter();
  try {
    schema = buildSubgraphSchema({ typeDefs: loadSdl(options.schemaFile), resolvers: options.resolvers });
    apollo = new ApolloServer<TContext>({
      schema,
      formatError: keepRequestRefusals(formatError),
      includeStacktraceInErrorResponses: false,
      // main.ts owns the signals, so a service stopped with SIGTERM exits 0 after draining.
      stopOnTerminationSignals: false,
      // No Apollo Studio here, so no per-request inline traces to build, and no landing page:
      // Apollo's loads from a CDN; the gateway's playground is the one to use. No @cacheControl
      // hints either: Apollo's cache-control plugin would still wrap every resolver to compute a
      // policy per field. With no plugin hooking willResolveField, resolvers run unwrapped.
      plugins: [
        ApolloServerPluginInlineTraceDisabled(),
        ApolloServerPluginCacheControlDisabled(),
        ApolloServerPluginLandingPageDisabled(),
        metricsPlugin(options.metrics),
        operationResolutionPlugin(),
        refuseNulCharactersPlugin(),
      ],
    });
  } catch (error) {
    // serve() closes what it is given when it fails; before it is called, that is done here.
    await close().catch((closeError: unknown) => options.logger.warn({ err: closeError }, 'closing after a failed start failed'));
    throw error;
  }
  return serve(apollo, {
    port: options.port,
    logger: options.logger,
    metrics: options.metrics,
    ready: () => (probe ??= createDatabaseProbe(options.orm.config.get('clientUrl')!, entityColumns(options.orm))).isReady(),
    context: options.context,
    shutdownGraceMs: options.shutdownGraceMs,
    onClose: close,
    // Only a subgraph whose schema has subscriptions (the order subgraph's) takes WebSockets.
    streams: schema.getSubscriptionType()
      ? (httpServer) => serveSubgraphSubscriptions(httpServer, { schema, logger: options.logger, formatError, context: options.context })
      : undefined,
  });
}

/** What makes one subgraph: its name, SDL, tables and resolvers, and what it starts beside the server. */
export interface SubgraphParts<TContext extends BaseContext> {
  /** The service's name in its metrics. */
  name: string;
  schemaFile: URL;
  entities: EntitySchema<any, any>[];
  migrations: MigrationObject[];
  resolvers: GraphQLResolverMap<any>;
  /**
   * Called once the database is open: gives the context every request gets (from its own
   * EntityManager and its caller) and, where the subgraph runs work of its own beside requests
   * (the order subgraph's recovery loop and confirm batcher), how to stop it before the pool closes.
   */
  start: (deps: { orm: MikroORM; metrics: ServiceMetrics }) => {
    context: (em: EntityManager, caller: Caller, requestId: string, logger: Logger) => TContext;
    stop?: () => Promise<void>;
  };
}

/** Opens the subgraph's database (migrating it), works out each request's caller, and serves it. */
export async function buildSubgraphServer<TContext extends BaseContext>(config: SubgraphConfig, logger: Logger, parts: SubgraphParts<TContext>): Promise<RunningServer> {
  const metrics = createMetrics(parts.name);
  const orm = await openDatabase({ databaseUrl: config.databaseUrl, entities: parts.entities, migrations: parts.migrations, metrics, logger });
  const callerOf = createCallerResolver(config);
  const { context, stop } = parts.start({ orm, metrics });
  return startSubgraph({
    schemaFile: parts.schemaFile,
    resolvers: parts.resolvers,
    orm,
    port: config.port,
    logger,
    metrics,
    shutdownGraceMs: config.shutdownGraceMs,
    context: async (req, requestId, requestLogger) => context(orm.em.fork(), await callerOf(req), requestId, requestLogger),
    onClose: stop,
  });
}
