import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { Request } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createErrorFormatter } from './errors.js';
import { serve, type RunningServer } from './http.js';
import { databaseReadiness } from './db.js';
import { loadSdl } from './sdl.js';
import { refuseNulCharactersPlugin } from './input-guard.js';
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
  context: (req: Request, requestId: string, logger: Logger) => Promise<TContext>;
  /** See ServeOptions.shutdownGraceMs. */
  shutdownGraceMs?: number;
  onClose?: () => Promise<void>;
}

/** What every subgraph shares: its SDL file as the schema, masked errors, metrics, and
 *  readiness tied to its database. From the moment it is called it owns the database and
 *  `onClose` (the order subgraph's recovery loop): closing the server closes them, and so does
 *  any failure to start, from a schema that does not build to a busy port. */
export async function startSubgraph<TContext extends BaseContext>(options: SubgraphOptions<TContext>): Promise<RunningServer> {
  const close = async () => {
    try {
      await options.onClose?.();
    } finally {
      await options.orm.close(true);
    }
  };
  let apollo: ApolloServer<TContext>;
  try {
    apollo = new ApolloServer<TContext>({
      schema: buildSubgraphSchema({ typeDefs: loadSdl(options.schemaFile), resolvers: options.resolvers }),
      formatError: createErrorFormatter(),
      includeStacktraceInErrorResponses: false,
      // main.ts owns the signals, so a service stopped with SIGTERM exits 0 after draining.
      stopOnTerminationSignals: false,
      // No Apollo Studio here, so no per-request inline traces to build, and no landing page:
      // Apollo's loads from a CDN; the gateway's playground is the one to use.
      plugins: [ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginLandingPageDisabled(), metricsPlugin(options.metrics), refuseNulCharactersPlugin()],
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
    ready: () => databaseReadiness(options.orm),
    context: options.context,
    shutdownGraceMs: options.shutdownGraceMs,
    onClose: close,
  });
}
