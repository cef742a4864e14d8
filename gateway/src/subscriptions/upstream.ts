import { createClient, type Client, type ExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';
import { GATEWAY_SECRET_HEADER } from '../../../lib/auth.js';
import type { Logger } from '../../../lib/log.js';

export interface UpstreamSettings {
  /** Attempts to reconnect to a subgraph that went away before its subscriptions end with
   *  SERVICE_UNAVAILABLE; with the backoff below, 10 attempts are about 30 s. */
  retryAttempts: number;
  gatewaySecret?: string;
}

export interface UpstreamRequest {
  query: string;
  variables: Record<string, unknown>;
  operationName?: string;
  authorization?: string;
  requestId: string;
}

export interface UpstreamSink {
  next(result: ExecutionResult): void;
  /** The subgraph could not be reached again within the retries, or refused the subscription. */
  error(reason: unknown): void;
  complete(): void;
}

export interface Upstreams {
  subscribe(subgraphUrl: string, request: UpstreamRequest, sink: UpstreamSink): () => void;
  close(): Promise<void>;
}

/** ws://host/graphql for http://host/graphql. */
export function webSocketUrl(httpUrl: string): string {
  const url = new URL(httpUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/**
 * One graphql-ws connection per subgraph, shared by every subscription to it: the gateway secret
 * in its connection params, each client's token and request id in its own subscribe message. A
 * connection that drops is opened again with backoff and every subscription on it is sent again;
 * the subgraph answers a renewed subscription with the current state first, so a client misses
 * nothing that changed meanwhile (the engine sends only what differs from what it sent).
 */
export function createUpstreams(settings: UpstreamSettings, logger: Logger): Upstreams {
  const clients = new Map<string, Client>();
  const clientFor = (subgraphUrl: string): Client => {
    let client = clients.get(subgraphUrl);
    if (client) return client;
    const url = webSocketUrl(subgraphUrl);
    client = createClient({
      url,
      webSocketImpl: WebSocket,
      lazy: true,
      // A moment's quiet between two subscriptions does not cost a reconnect.
      lazyCloseTimeout: 5_000,
      keepAlive: 10_000,
      retryAttempts: settings.retryAttempts,
      // 250 ms doubling to 4 s, with jitter so gateways do not reconnect in lockstep.
      retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(4_000, 250 * 2 ** retries) * (0.75 + Math.random() / 2))),
      // A subgraph restarting closes with 1001 or resets: both are worth retrying.
      shouldRetry: () => true,
      connectionParams: settings.gatewaySecret ? { [GATEWAY_SECRET_HEADER]: settings.gatewaySecret } : {},
      on: {
        closed: (event) => logger.debug({ url, code: (event as { code?: number }).code }, 'subgraph subscription connection closed'),
        connected: () => logger.debug({ url }, 'subgraph subscription connection open'),
      },
    });
    clients.set(subgraphUrl, client);
    return client;
  };
  return {
    subscribe(subgraphUrl, request, sink) {
      return clientFor(subgraphUrl).subscribe(
        {
          query: request.query,
          variables: request.variables,
          operationName: request.operationName,
          extensions: { authorization: request.authorization, requestId: request.requestId },
        },
        { next: (result) => sink.next(result as ExecutionResult), error: (reason) => sink.error(reason), complete: () => sink.complete() },
      );
    },
    async close() {
      await Promise.all([...clients.values()].map((client) => client.dispose()));
      clients.clear();
    },
  };
}
