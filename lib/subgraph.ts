import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { GraphQLRequestView } from './lean-graphql.js';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createErrorFormatter } from './errors.js';
import { serve, type RunningServer } from './http.js';
import { entityColumns } from './db.js';
import { createDatabaseProbe, type DatabaseProbe } from './readiness.js';
import { loadSdl } from './sdl.js';
import { refuseNulCharactersPlugin } from './input-guard.js';
import { keepRequestRefusals, operationResolutionPlugin } from './request-errors.js';
import { metricsPlugin, type ServiceMetrics } from './metrics.js';
import type { Logger } from './log.js';

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
  try {
    apollo = new ApolloServer<TContext>({
      schema: buildSubgraphSchema({ typeDefs: loadSdl(options.schemaFile), resolvers: options.resolvers }),
      formatError: keepRequestRefusals(createErrorFormatter()),
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
  });
}
