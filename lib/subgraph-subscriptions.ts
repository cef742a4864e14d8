import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { GraphQLError, parse, validate, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { ErrorFormatter } from './errors.js';
import type { GraphQLRequestView } from './lean-graphql.js';
import type { Logger } from './log.js';

/** What the gateway puts in each `subscribe` message's extensions: its client's token and request
 *  id travel per subscription, because one connection carries many clients' subscriptions. */
export interface ForwardedSubscription {
  authorization?: string;
  requestId?: string;
}

export interface SubgraphSubscriptionOptions<TContext> {
  schema: GraphQLSchema;
  logger: Logger;
  formatError: ErrorFormatter;
  /** The request context, from headers: the connection's params (the gateway secret, a token)
   *  with the subscription's own token in front. */
  context: (req: GraphQLRequestView, requestId: string, logger: Logger) => Promise<TContext>;
  maxPayloadBytes?: number;
}

export interface SubscriptionEndpoint {
  /** Completes every subscription and closes every connection (code 1001), then stops accepting. */
  close(): Promise<void>;
}

function header(params: Record<string, unknown>, name: string): string | undefined {
  const value = params[name] ?? params[name.toLowerCase()];
  return typeof value === 'string' ? value : undefined;
}

/**
 * A subgraph's subscriptions over WebSocket (graphql-transport-ws) at /graphql, for the gateway:
 * it connects with the gateway secret in its connection params and subscribes for each client with
 * that client's token in the message's extensions; the caller is worked out from them exactly as
 * for an HTTP request, so the subgraph still checks every token itself.
 */
export function serveSubgraphSubscriptions<TContext>(httpServer: http.Server, options: SubgraphSubscriptionOptions<TContext>): SubscriptionEndpoint {
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes ?? 1024 * 1024 });
  httpServer.on('upgrade', (req, socket, head) => {
    if (new URL(req.url ?? '/', 'http://x').pathname !== '/graphql') return void socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  const format = (errors: readonly GraphQLError[]) => errors.map((error) => options.formatError(error.toJSON(), error));
  const server = useServer<Record<string, unknown>>(
    {
      schema: options.schema,
      // Everything that can fail before the subscription runs answers that subscription with its
      // error: a throw here would close the connection, and with it every other client's.
      onSubscribe: async (ctx, _id, payload) => {
        let document;
        try {
          document = parse(payload.query);
        } catch (error) {
          return [error as GraphQLError];
        }
        const invalid = validate(options.schema, document);
        if (invalid.length > 0) return [...invalid];
        const forwarded = (payload.extensions ?? {}) as ForwardedSubscription;
        const params = ctx.connectionParams ?? {};
        const requestId = typeof forwarded.requestId === 'string' && /^[\w.:-]{1,128}$/.test(forwarded.requestId) ? forwarded.requestId : randomUUID();
        const view: GraphQLRequestView = {
          header: (name) => (name.toLowerCase() === 'authorization' && typeof forwarded.authorization === 'string' ? forwarded.authorization : header(params, name)),
        };
        try {
          const contextValue = await options.context(view, requestId, options.logger.child({ requestId }));
          return { schema: options.schema, document, variableValues: payload.variables, operationName: payload.operationName, contextValue };
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError(String(error), { originalError: error as Error })];
        }
      },
      onNext: (_ctx, _id, _payload, _args, result: ExecutionResult) => (result.errors ? { ...result, errors: format(result.errors) } : undefined) as never,
      onError: (_ctx, _id, _payload, errors) => format(errors) as never,
    },
    wss,
  );
  return {
    async close() {
      await server.dispose();
    },
  };
}
