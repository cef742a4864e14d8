import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import express, { type Request } from 'express';
import type { ApolloServer, BaseContext } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import type { ServiceMetrics } from './metrics.js';
import type { Logger } from './log.js';

export interface ServeOptions<TContext extends BaseContext> {
  port: number;
  host?: string;
  logger: Logger;
  metrics: ServiceMetrics;
  /** True when the service can do its work (database reachable, supergraph loaded). */
  ready: () => Promise<boolean>;
  context: (req: Request, requestId: string) => Promise<TContext>;
  bodyLimit?: string;
  onClose?: () => Promise<void>;
}

export interface RunningServer {
  url: string;
  port: number;
  stop: () => Promise<void>;
}

export const REQUEST_ID_HEADER = 'x-request-id';

/** Accepts a caller's request id when it looks like one, otherwise makes a new one. */
export function requestIdOf(req: Request): string {
  const given = req.header(REQUEST_ID_HEADER);
  return given && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
}

/**
 * Serves an Apollo server at /graphql with /health, /ready and /metrics beside it. The HTTP
 * server is created before Apollo starts so the drain plugin can close keep-alive sockets.
 */
export async function serve<TContext extends BaseContext>(
  makeApollo: (httpServer: http.Server) => ApolloServer<TContext>,
  options: ServeOptions<TContext>,
): Promise<RunningServer> {
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const apollo = makeApollo(httpServer);
  await apollo.start();

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/ready', async (_req, res) => {
    const ready = await options.ready().catch(() => false);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable' });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(options.metrics.registry.contentType).send(await options.metrics.registry.metrics());
  });
  app.use(
    '/graphql',
    express.json({ limit: options.bodyLimit ?? '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) => options.context(req, requestIdOf(req)),
    }),
  );

  await listen(httpServer, options.port, options.host);
  const port = (httpServer.address() as AddressInfo).port;
  let stopping: Promise<void> | undefined;
  return {
    url: `http://localhost:${port}/graphql`,
    port,
    stop: () =>
      (stopping ??= (async () => {
        await apollo.stop();
        await options.onClose?.();
      })()),
  };
}

function listen(server: http.Server, port: number, host?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new Error(`Port ${port} is already in use; stop whatever holds it or set PORT`) : error);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
