import { readFileSync } from 'node:fs';
import type http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { createTokenVerifier } from '../../lib/auth.js';
import { ConfigError } from '../../lib/config.js';
import { createErrorFormatter, DomainError, toGraphQLError } from '../../lib/errors.js';
import { REQUEST_ID_HEADER, serve, type RunningServer } from '../../lib/http.js';
import { createLogger, type Logger } from '../../lib/log.js';
import { createMetrics, metricsPlugin } from '../../lib/metrics.js';
import type { GatewayConfig } from './config.js';

export interface GatewayContext {
  authorization: string | undefined;
  requestId: string;
}

/** Forwards the caller's token and the request id to every subgraph: subgraphs check the
 *  token themselves, because their ports are reachable too. */
class ForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    if (!('requestId' in context)) return;
    if (context.authorization) request.http?.headers.set('authorization', context.authorization);
    request.http?.headers.set(REQUEST_ID_HEADER, context.requestId);
  }
}

function readSupergraph(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError(`SUPERGRAPH_PATH: cannot read ${path}; run npm run schema:compose`);
  }
}

export async function buildGateway(config: GatewayConfig, logger: Logger = createLogger('gateway')): Promise<RunningServer> {
  const metrics = createMetrics('gateway');
  const verify = createTokenVerifier(config.auth);
  const gateway = new ApolloGateway({
    // The supergraph is composed ahead of time and committed: no composition at run time.
    supergraphSdl: readSupergraph(config.supergraphPath),
    buildService: ({ name, url }) => new ForwardingDataSource({ url: config.subgraphUrls[name] ?? url }),
    logger,
  });
  let loaded = false;
  return serve(
    (httpServer: http.Server) =>
      new ApolloServer<GatewayContext>({
        gateway,
        formatError: createErrorFormatter(logger, { trustSubgraphCodes: true }),
        includeStacktraceInErrorResponses: false,
        plugins: [
          ApolloServerPluginDrainHttpServer({ httpServer }),
          metricsPlugin(metrics),
          { serverWillStart: async () => void (loaded = true) },
        ],
      }),
    {
      port: config.port,
      logger,
      metrics,
      ready: async () => loaded,
      context: async (req, requestId) => {
        const authorization = req.header('authorization');
        // Refuse a bad token at the edge, before any subgraph is called.
        await verify(authorization).catch((error: unknown) => {
          throw error instanceof DomainError ? toGraphQLError(error) : error;
        });
        return { authorization, requestId };
      },
    },
  );
}
