import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler, type Express, type Request, type RequestHandler, type Response } from 'express';
import cors from 'cors';
import type { ApolloServer, BaseContext } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { DEFAULT_SHUTDOWN_GRACE_MS } from './config.js';
import type { PublicErrorCode } from './errors.js';
import { bodyLimitBytes, leanGraphQLRoute, sendHttpError, type GraphQLRequestView } from './lean-graphql.js';
import type { ServiceMetrics } from './metrics.js';
import type { Logger } from './log.js';
import { contextFailed, logRequests, REQUEST_ID_HEADER, requestLogOf, requestLogPlugin, withRequestLog, type RequestLog } from './request-log.js';
import { isTracing } from './tracing.js';

export { REQUEST_ID_HEADER } from './request-log.js';
export { sendHttpError } from './lean-graphql.js';

/** /ready's answer: ready, not ready, or not ready for a reason worth telling the operator. */
export type Readiness = boolean | { unavailable: string };

export interface ServeOptions<TContext extends BaseContext> {
  port: number;
  host?: string;
  logger: Logger;
  metrics: ServiceMetrics;
  /** True when the service can do its work (a subgraph: its database answers). Asked only once
   *  the server listens, that is after Apollo has started (the gateway: its supergraph loaded). */
  ready: () => Promise<Readiness>;
  /** Builds a request's context; `logger` is the request's own (every line carries its id). */
  context: (req: GraphQLRequestView, requestId: string, logger: Logger) => Promise<TContext>;
  /** Largest JSON body /graphql accepts, e.g. "100kb" (default "1mb"); bigger ones get a 413. */
  bodyLimit?: string;
  /** Browser origins allowed to call /graphql, "*" for any. Omitted: no CORS headers at all, so
   *  browsers on other origins cannot read the answers (the subgraphs are not for browsers). */
  corsOrigins?: readonly string[];
  /** Pages and assets served beside /graphql, mounted before it (the gateway's playground). */
  routes?: (app: Express) => void;
  /** How long stop() lets in-flight requests (a placeOrder saga included) finish before it
   *  closes their connections (default DEFAULT_SHUTDOWN_GRACE_MS, lib/config.ts). */
  shutdownGraceMs?: number;
  /** Runs once the server has stopped: after every request, or when listening failed. */
  onClose?: () => Promise<void>;
  /** Long-lived streams beside the request/response routes (WebSocket subscriptions), attached to
   *  the HTTP server before it listens. stop() closes them first, cleanly, because the drain
   *  would otherwise cut their connections when its grace runs out. */
  streams?: (httpServer: http.Server) => { close(): Promise<void> };
  /** Handlers for /graphql that come before Apollo Server's, after CORS and body parsing (the
   *  gateway's multipart subscriptions); each calls next() for what it does not serve. */
  graphqlHandlers?: RequestHandler[];
}

/** Another process holds the port. Each launcher names its own setting for it (PORT, ORDER_PORT). */
export class PortInUseError extends Error {
  constructor(readonly port: number) {
    super(`port ${port} is already in use; stop whatever holds it or choose another port`);
    this.name = 'PortInUseError';
  }
}

export interface RunningServer {
  url: string;
  port: number;
  stop: () => Promise<void>;
}

/**
 * Starts an Apollo server and serves it at /graphql with /health, /ready and /metrics beside
 * it, one log line per request (lib/request-log.ts). The drain plugin is added here, before
 * Apollo starts, so stop() stops accepting, lets in-flight requests finish (up to
 * shutdownGraceMs), stops Apollo and then runs onClose (closing the database pool).
 */
export async function serve<TContext extends BaseContext>(apollo: ApolloServer<TContext>, options: ServeOptions<TContext>): Promise<RunningServer> {
  const app = express();
  app.disable('x-powered-by');
  // Set once Apollo has started, before the server listens.
  let lean: ((req: http.IncomingMessage, res: http.ServerResponse) => boolean) | undefined;
  const httpServer = http.createServer((req, res) => {
    if (!lean?.(req, res)) app(req, res);
  });
  apollo.addPlugin(ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS }));
  apollo.addPlugin(requestLogPlugin());
  let streams: { close(): Promise<void> } | undefined;
  try {
    await apollo.start();
    route(app, apollo, options);
    lean = leanRoute(apollo, options);
    streams = options.streams?.(httpServer);
    await listen(httpServer, options.port, options.host);
  } catch (error) {
    await streams?.close().catch(() => undefined);
    // Nothing was served: release what start() and the caller opened (the database pool, the
    // order subgraph's recovery loop) so the process can report the problem and exit, or a
    // launcher can go on without a leak. A failed start leaves Apollo nothing to stop.
    await apollo.stop().catch(() => undefined);
    await options.onClose?.().catch((closeError: unknown) => options.logger.warn({ err: closeError }, 'closing after a failed start failed'));
    throw error;
  }
  const port = (httpServer.address() as AddressInfo).port;
  let stopping: Promise<void> | undefined;
  return {
    url: `http://localhost:${port}/graphql`,
    port,
    stop: () =>
      (stopping ??= (async () => {
        try {
          await streams?.close().catch((error: unknown) => options.logger.warn({ err: error }, 'closing the open streams failed'));
          await apollo.stop();
        } finally {
          await options.onClose?.();
        }
      })()),
  };
}

/** /health, /ready, /metrics, the caller's pages, and /graphql with its body parsing and CORS. */
function route<TContext extends BaseContext>(app: Express, apollo: ApolloServer<TContext>, options: ServeOptions<TContext>): void {
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/ready', async (_req, res) => {
    const ready = await options.ready().catch((): Readiness => false);
    if (ready === true) return void res.json({ status: 'ready' });
    res.status(503).json({ status: 'unavailable', ...(ready === false ? {} : { reason: ready.unavailable }) });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(options.metrics.registry.contentType).send(await options.metrics.registry.metrics());
  });
  options.routes?.(app);
  const bodyLimit = options.bodyLimit ?? '1mb';
  app.use(
    '/graphql',
    logRequests(options.logger),
    ...(options.corsOrigins ? corsFor(options.corsOrigins) : []),
    express.json({ limit: bodyLimit }),
    ...(options.graphqlHandlers ?? []),
    expressMiddleware(apollo, {
      context: ({ req, res }) => contextOf(options, req, requestLogOf(res)!),
    }),
  );
  app.use((_req, res) => sendHttpError(res, 404, 'NOT_FOUND', 'Nothing here: GraphQL is served at /graphql'));
  app.use(refuseUnreadableBodies(bodyLimit, options.logger));
}

async function contextOf<TContext extends BaseContext>(options: ServeOptions<TContext>, req: GraphQLRequestView, log: RequestLog): Promise<TContext> {
  try {
    return withRequestLog(await options.context(req, log.id, log.logger), log);
  } catch (error) {
    contextFailed(log, error);
    throw error;
  }
}

/** The lean route for POST /graphql (lib/lean-graphql.ts), with the same request log, context
 *  and CORS headers. Not while tracing: operators who trace keep express' spans. */
function leanRoute<TContext extends BaseContext>(apollo: ApolloServer<TContext>, options: ServeOptions<TContext>) {
  const limitBytes = bodyLimitBytes(options.bodyLimit ?? '1mb');
  if (limitBytes === undefined || isTracing()) return undefined;
  const cors = options.corsOrigins && corsHeaders(options.corsOrigins);
  return leanGraphQLRoute(apollo, {
    logger: options.logger,
    limitBytes,
    context: (req, log) => contextOf(options, req, log),
    multipartInExpress: (options.graphqlHandlers?.length ?? 0) > 0,
    // Only requests without an Origin come this way, so there is no origin to refuse.
    before: cors && ((req, res, next) => cors(req as Request, res as Response, next)),
  });
}

const CORS_REQUEST_HEADERS = ['content-type', 'authorization', 'apollo-require-preflight', 'x-apollo-operation-name', REQUEST_ID_HEADER];

/**
 * CORS for the allow-listed origins. A request from any other origin is refused outright with a
 * 403 that names the setting, instead of running and leaving the browser to hide the answer; a
 * page on the server's own origin, and a client that sends no Origin (curl, servers), always pass.
 */
function corsFor(allowed: readonly string[]): RequestHandler[] {
  const anyOrigin = allowed.includes('*');
  const refuseOtherOrigins: RequestHandler = (req, res, next) => {
    const origin = req.header('origin');
    if (origin === undefined || anyOrigin || allowed.includes(origin) || isSameOrigin(origin, req)) return next();
    sendHttpError(res, 403, 'ORIGIN_NOT_ALLOWED', `Origin ${origin} may not call this API from a browser: add it to CORS_ORIGINS`);
  };
  return [refuseOtherOrigins, corsHeaders(allowed)];
}

function corsHeaders(allowed: readonly string[]): RequestHandler {
  return cors({
    origin: allowed.includes('*') ? '*' : true,
    methods: ['GET', 'POST'],
    allowedHeaders: CORS_REQUEST_HEADERS,
    exposedHeaders: [REQUEST_ID_HEADER],
    maxAge: 600,
  });
}

function isSameOrigin(origin: string, req: Request): boolean {
  return sameHost(origin, req.header('host'));
}

function sameHost(origin: string, host: string | undefined): boolean {
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** The same origin rule as corsFor, for what does not go through express (WebSocket upgrades). */
export function originAllowed(allowed: readonly string[], origin: string | undefined, host: string | undefined): boolean {
  return origin === undefined || allowed.includes('*') || allowed.includes(origin) || sameHost(origin, host);
}

/** body-parser's refusals as JSON errors with the right status; anything else is a masked 500. */
function refuseUnreadableBodies(limit: string, logger: Logger): ErrorRequestHandler {
  return (error: { type?: string }, _req, res, _next) => {
    const log = requestLogOf(res);
    const refuse = (status: number, code: PublicErrorCode, message: string) => {
      log?.errorCodes.push(code);
      sendHttpError(res, status, code, message);
    };
    switch (error.type) {
      case 'entity.too.large':
        return refuse(413, 'PAYLOAD_TOO_LARGE', `The request body is larger than the ${limit} this server accepts`);
      case 'entity.parse.failed':
        return refuse(400, 'BAD_REQUEST', 'The request body is not valid JSON');
      case 'charset.unsupported':
      case 'encoding.unsupported':
        return refuse(415, 'BAD_REQUEST', 'Send the request body as UTF-8 JSON, uncompressed or gzip/deflate/br');
    }
    (log?.logger ?? logger).error({ err: error }, 'unhandled HTTP error');
    refuse(500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
  };
}

function listen(server: http.Server, port: number, host?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port) : error);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
