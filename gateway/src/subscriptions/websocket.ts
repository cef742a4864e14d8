import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { GraphQLError, type FormattedExecutionResult } from 'graphql';
import { CloseCode, type Context } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import type { Counter, Gauge } from 'prom-client';
import WebSocket, { WebSocketServer } from 'ws';
import type { TokenVerifier } from '../../../lib/auth.js';
import { DomainError } from '../../../lib/errors.js';
import type { Logger } from '../../../lib/log.js';
import type { Started, Subscriber, SubscriptionEngine } from './engine.js';
import { subscriberFrom } from './subscriber.js';

export interface WebSocketSettings {
  /** Open subscriptions on one connection. */
  maxPerConnection: number;
  /** Open connections of one customer on this gateway. */
  maxConnectionsPerCustomer: number;
  /** Largest message a client may send; a bigger one closes the connection (1009). */
  maxMessageBytes: number;
  /** A ping this often; a client that has not answered the last one by the next is dropped as a
   *  reader that stopped reading (its events would otherwise queue up in the kernel). */
  keepAliveMs: number;
  /** Bytes queued for a client beyond which it is dropped as too slow. */
  maxBufferedBytes: number;
  /** Which browser origins may connect (CORS_ORIGINS); a client without an Origin always may. */
  allowOrigin: (origin: string | undefined, host: string | undefined) => boolean;
}

export interface WebSocketMetrics {
  connections: Gauge;
  slowReaders: Counter<'transport'>;
}

interface Connection {
  subscriber: Subscriber;
  requestId: string;
  logger: Logger;
}

/** A connection's token: from connection_init's payload (what browsers can send), else the
 *  upgrade request's Authorization header (what servers can send). */
function authorizationOf(ctx: Context<Record<string, unknown>, { request: http.IncomingMessage }>): string | undefined {
  const params = ctx.connectionParams ?? {};
  const fromParams = params.authorization ?? params.Authorization ?? (params.headers as Record<string, unknown> | undefined)?.authorization;
  if (typeof fromParams === 'string') return fromParams;
  return ctx.extra.request.headers.authorization;
}

const asErrors = (result: FormattedExecutionResult) => (result.errors ?? []).map((error) => new GraphQLError(error.message, { extensions: error.extensions }));

/**
 * GraphQL subscriptions over WebSocket at /graphql, the graphql-transport-ws protocol (the
 * graphql-ws library's own server). The token is checked when the connection opens and again by
 * every subscription when it starts; a bad one closes the connection with 4401. What the engine
 * refuses (validation, limits) is the subscription's `error` message; everything else is events.
 */
export function serveWebSocketSubscriptions(
  httpServer: http.Server,
  deps: { engine: SubscriptionEngine; verify: TokenVerifier; settings: WebSocketSettings; logger: Logger; metrics: WebSocketMetrics },
): { close(): Promise<void> } {
  const { settings, logger, metrics } = deps;
  const wss = new WebSocketServer({ noServer: true, maxPayload: settings.maxMessageBytes });
  const connections = new WeakMap<object, Connection>();
  const perCustomer = new Map<string, number>();
  httpServer.on('upgrade', (req, socket, head) => {
    if (new URL(req.url ?? '/', 'http://gateway').pathname !== '/graphql') return void socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\n\r\n');
    if (!settings.allowOrigin(req.headers.origin, req.headers.host)) return void socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\n\r\n');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  // The keepalive: graphql-ws's own would terminate silently; this one counts whom it drops.
  const alive = new WeakMap<WebSocket, boolean>();
  wss.on('connection', (ws) => {
    metrics.connections.inc();
    alive.set(ws, true);
    ws.on('pong', () => alive.set(ws, true));
    ws.once('close', () => metrics.connections.dec());
  });
  const pinger = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.get(ws)) {
        metrics.slowReaders.inc({ transport: 'websocket' });
        logger.warn('a WebSocket client stopped answering pings; dropped');
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, settings.keepAliveMs);
  pinger.unref();

  const release = (connection: Connection | undefined) => {
    const customer = connection?.subscriber.customerId;
    if (!customer) return;
    const left = (perCustomer.get(customer) ?? 1) - 1;
    if (left > 0) perCustomer.set(customer, left);
    else perCustomer.delete(customer);
  };

  const server = useServer<Record<string, unknown>, { request: http.IncomingMessage; socket: WebSocket }>(
    {
      onConnect: async (ctx) => {
        const requestId = randomUUID();
        const connectionLogger = logger.child({ requestId });
        let subscriber: Subscriber;
        try {
          subscriber = await subscriberFrom(deps.verify, authorizationOf(ctx));
        } catch (error) {
          const reason = error instanceof DomainError ? error.message : 'The token is invalid or expired';
          ctx.extra.socket.close(CloseCode.Unauthorized, reason.slice(0, 120));
          return false;
        }
        const customer = subscriber.customerId;
        if (customer !== null && (perCustomer.get(customer) ?? 0) >= settings.maxConnectionsPerCustomer) {
          ctx.extra.socket.close(4429, `At most ${settings.maxConnectionsPerCustomer} connections per customer`);
          return false;
        }
        if (customer !== null) perCustomer.set(customer, (perCustomer.get(customer) ?? 0) + 1);
        connections.set(ctx, { subscriber, requestId, logger: connectionLogger });
        connectionLogger.info({ customerId: customer }, 'subscription connection opened');
        return true;
      },
      onClose: (ctx, code) => {
        const connection = connections.get(ctx);
        if (!connection) return;
        connections.delete(ctx);
        release(connection);
        connection.logger.info({ code }, 'subscription connection closed');
      },
      onSubscribe: async (ctx, id, payload) => {
        const connection = connections.get(ctx)!;
        // This subscription is already among them (graphql-ws adds it before asking).
        if (Object.keys(ctx.subscriptions).length > settings.maxPerConnection) {
          return [new GraphQLError(`A connection may hold ${settings.maxPerConnection} open subscriptions; end one first`, { extensions: { code: 'RATE_LIMITED' } })];
        }
        let subscriber = connection.subscriber;
        // A token in the message's extensions replaces the connection's (a client that renewed it).
        const renewed = (payload.extensions as { authorization?: unknown } | undefined)?.authorization;
        if (typeof renewed === 'string') {
          try {
            subscriber = await subscriberFrom(deps.verify, renewed);
          } catch {
            return [new GraphQLError('The token is invalid or expired', { extensions: { code: 'UNAUTHENTICATED' } })];
          }
        }
        const requestId = `${connection.requestId}:${id}`.slice(0, 128);
        const started: Started = await deps.engine.start(payload, subscriber, { requestId, logger: connection.logger.child({ subscription: id }), transport: 'websocket' });
        if ('refusal' in started) return asErrors(started.refusal);
        if (!(id in ctx.subscriptions)) {
          // The client completed it while it started.
          void started.stream.return();
          return [new GraphQLError('Cancelled', { extensions: { code: 'BAD_REQUEST' } })];
        }
        return { schema: undefined as never, document: started.document, operationName: payload.operationName, variableValues: payload.variables, contextValue: started };
      },
      subscribe: (args) => (args.contextValue as { stream: AsyncIterable<unknown> }).stream as never,
      onNext: (ctx, _id, _payload, _args, result) => {
        if (ctx.extra.socket.bufferedAmount > settings.maxBufferedBytes) {
          metrics.slowReaders.inc({ transport: 'websocket' });
          ctx.extra.socket.close(1008, 'Too slow: the client did not read its events');
        }
        // The engine's results are already formatted (masked): sent as they are.
        return result as never;
      },
      onError: (_ctx, _id, _payload, errors) => errors.map((error) => ({ message: error.message, extensions: error.extensions })) as never,
    },
    wss,
    0,
  );

  return {
    async close() {
      clearInterval(pinger);
      // Every stream completes first (a `complete` message each), then each connection closes with
      // 1001 "Going away": a clean end for the client, never a reset.
      deps.engine.completeAll();
      for (let waited = 0; deps.engine.openCount > 0 && waited < 1_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
      await new Promise((resolve) => setTimeout(resolve, 20));
      const closing = [...wss.clients].map((ws) => new Promise<void>((resolve) => {
        if (ws.readyState === WebSocket.CLOSED) return resolve();
        ws.once('close', () => resolve());
        setTimeout(() => {
          ws.terminate();
          resolve();
        }, 2_000).unref();
      }));
      await server.dispose();
      await Promise.all(closing);
    },
  };
}
