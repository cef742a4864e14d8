import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { multipartParts } from './multipart.js';

/** What one subscription has received so far, and a way to wait for what it should receive next. */
export class Received {
  readonly events: any[] = [];
  errors: unknown;
  completed = false;
  private waiters: (() => void)[] = [];

  push(event: any): void {
    this.events.push(event);
    this.wake();
  }

  fail(errors: unknown): void {
    this.errors = errors;
    this.completed = true;
    this.wake();
  }

  complete(): void {
    this.completed = true;
    this.wake();
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  /** The first event (from `from` on) that matches, or a failure naming what did arrive. */
  async waitFor(matches: (event: any) => boolean, what: string, timeoutMs = 20_000, from = 0): Promise<any> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const found = this.events.slice(from).find(matches);
      if (found) return found;
      if (this.completed) throw new Error(`the stream ended before ${what}; received ${JSON.stringify(this.events)}; errors ${JSON.stringify(this.errors)}`);
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`no ${what} within ${timeoutMs} ms; received ${JSON.stringify(this.events)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async waitForEnd(timeoutMs = 20_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!this.completed) {
      if (performance.now() > deadline) throw new Error(`the stream did not end within ${timeoutMs} ms; received ${JSON.stringify(this.events)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

export function wsUrlOf(gatewayUrl: string): string {
  return gatewayUrl.replace(/^http/, 'ws');
}

/** A graphql-ws client of the gateway, the way GraphiQL and Apollo's GraphQLWsLink connect. */
export function wsClient(gatewayUrl: string, token?: string, options: { retryAttempts?: number; onClosed?: (event: unknown) => void } = {}): Client {
  return createClient({
    url: wsUrlOf(gatewayUrl),
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: options.retryAttempts ?? 0,
    lazy: true,
    on: { closed: (event) => options.onClosed?.(event) },
  });
}

export function subscribeWs(client: Client, query: string, variables: Record<string, unknown> = {}): { received: Received; stop: () => void } {
  const received = new Received();
  const stop = client.subscribe({ query, variables }, { next: (event) => received.push(event), error: (errors) => received.fail(errors), complete: () => received.complete() });
  return { received, stop };
}

/** A multipart HTTP subscription (Apollo's protocol, what HttpLink sends for a subscription). */
export function subscribeMultipart(gatewayUrl: string, query: string, variables: Record<string, unknown>, token?: string): { received: Received; stop: () => void; response: Promise<Response> } {
  const received = new Received();
  const controller = new AbortController();
  const response = fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'multipart/mixed;boundary="graphql";subscriptionSpec="1.0",application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
    signal: controller.signal,
  });
  void (async () => {
    try {
      const answer = await response;
      if (!answer.headers.get('content-type')?.startsWith('multipart/mixed')) {
        const body = (await answer.json()) as { errors?: unknown };
        return received.fail(body.errors);
      }
      // Ended without its closing boundary: complete, as when it is stopped.
      for await (const parsed of multipartParts(answer.body, 'graphql', { unclosed: 'end' }) as AsyncIterable<{ payload?: any; errors?: unknown }>) {
        if (parsed.payload === undefined) continue;
        if (parsed.payload === null) received.fail(parsed.errors);
        else received.push(parsed.payload);
      }
      received.complete();
    } catch (error) {
      if (!controller.signal.aborted) received.fail(String(error));
      else received.complete();
    }
  })();
  return { received, stop: () => controller.abort(), response };
}
