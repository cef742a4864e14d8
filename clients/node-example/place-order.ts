/**
 * Calling the ordering supergraph from Node, the way a backend service should: typed operations
 * (generated from schema/api.graphql by `npm run codegen`) and a placeOrder that retries network
 * failures with one idempotency key, so a retry can never place a second order.
 *
 *   GRAPHQL_URL=http://localhost:4000/graphql TOKEN=<customer token> npx tsx clients/node-example/place-order.ts
 *
 * Node 20+, no dependencies: copy this file, the operations/ and the generated/ folder.
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { InStockProductsDocument, PlaceOrderDocument, type OrderLineInput, type PlaceOrderMutation, type TypedDocumentString } from './generated/graphql.js';

export interface Client {
  url: string;
  token?: string;
  /** Defaults to the global fetch; tests pass a flaky one. */
  fetch?: typeof fetch;
}

/** The server answered with a GraphQL error; `code` is its extensions.code. */
export class GraphQLRequestError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

const REQUEST_TIMEOUT_MS = 10_000;

export async function request<R, V>(client: Client, document: TypedDocumentString<R, V>, variables: V): Promise<R> {
  const response = await (client.fetch ?? fetch)(client.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(client.token ? { authorization: `Bearer ${client.token}` } : {}) },
    body: JSON.stringify({ query: document.toString(), variables }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const body = (await response.json().catch(() => ({}))) as { data?: R; errors?: { message: string; extensions?: { code?: string } }[] };
  const [error] = body.errors ?? [];
  // A gateway or proxy that is restarting (502/503/504) or a SERVICE_UNAVAILABLE is worth another try.
  if (error || !body.data) {
    const code = error?.extensions?.code;
    throw new GraphQLRequestError(error?.message ?? `HTTP ${response.status}`, code, code === 'SERVICE_UNAVAILABLE' || [502, 503, 504].includes(response.status));
  }
  return body.data;
}

/**
 * Places one order. The idempotency key is made once, here, and every retry sends it again: if a
 * request placed the order but its answer was lost (timeout, reset connection), the retry gets
 * that same order back instead of placing another. Errors the server answered with (bad input,
 * a bad token) are not retried: sending them again would fail the same way.
 */
export interface RetryOptions {
  attempts?: number;
  baseDelayMs?: number;
  onRetry?: (attempt: number, error: unknown, delayMs: number) => void;
}

export async function placeOrderWithRetries(client: Client, lines: OrderLineInput[], options: RetryOptions = {}): Promise<PlaceOrderMutation['placeOrder']> {
  const { attempts = 4, baseDelayMs = 250, onRetry = logRetry } = options;
  const idempotencyKey = randomUUID();
  for (let attempt = 1; ; attempt++) {
    try {
      return (await request(client, PlaceOrderDocument, { input: { idempotencyKey, lines } })).placeOrder;
    } catch (error) {
      const retryable = !(error instanceof GraphQLRequestError) || error.retryable;
      if (!retryable || attempt >= attempts) throw error;
      const delayMs = Math.round(baseDelayMs * 2 ** (attempt - 1) * (0.5 + Math.random()));
      onRetry(attempt, error, delayMs);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

function logRetry(attempt: number, error: unknown, delayMs: number): void {
  console.warn(`placeOrder attempt ${attempt} failed (${error instanceof Error ? error.message : String(error)}); retrying in ${delayMs} ms with the same key`);
}

/** GRAPHQL_URL and TOKEN: the token alone, or the whole "Bearer eyJ..." line npm start prints. */
export function clientFromEnv(env: Record<string, string | undefined>): Client {
  const token = env.TOKEN?.trim().replace(/^Bearer\s+/i, '') || undefined;
  return { url: env.GRAPHQL_URL ?? 'http://localhost:4000/graphql', token };
}

async function main(): Promise<void> {
  const client = clientFromEnv(process.env);
  const { products } = await request(client, InStockProductsDocument, { first: 3 });
  for (const { node } of products.edges) console.log(`${node.id}\t${node.price}\t${node.stock} in stock\t${node.name}`);
  const first = products.edges[0]?.node;
  if (!first) throw new Error('No product is in stock');
  if (!client.token) throw new Error('Set TOKEN to a customer token (npm start prints one) to place an order');
  const order = await placeOrderWithRetries(client, [{ productId: first.id, quantity: 1 }]);
  console.log(`Order ${order.id}: ${order.status}, total ${order.totalAmount}, payment ${order.paymentStatus ?? 'not charged'}`);
  if (order.cancellationReason) console.log(`Cancelled: ${order.cancellationCode}: ${order.cancellationReason}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
