import http from 'node:http';
import https from 'node:https';
import { SERVICE_CREDENTIAL_HEADER } from './auth.js';
import { REQUEST_ID_HEADER } from './http.js';
import { requestOnKeptAliveSocket, type WholeAnswer } from './kept-alive-request.js';

/** Codes with which a subgraph says "try again later" rather than "no". */
const TRANSIENT_CODES = new Set(['SERVICE_UNAVAILABLE', 'INTERNAL_SERVER_ERROR']);

/** A saga call that did not get an answer (transient: unreachable, timed out, 5xx) or got a refusal. */
export class SubgraphCallError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
    readonly code?: string,
  ) {
    super(message);
  }
}

export interface SubgraphClientOptions {
  name: string;
  url: string;
  serviceCredential: string;
  timeoutMs: number;
}

export type SubgraphCall = <T>(query: string, variables: Record<string, unknown>, requestId?: string) => Promise<T>;

/** Calls another subgraph's internal operations over HTTP with the service credential and a
 *  hard time limit, so a hung peer costs a bounded wait, never a stuck request. node:http on
 *  keep-alive sockets rather than fetch: undici's streams cost the order subgraph more CPU per
 *  saga call than the rest of the call (the gateway's subgraph-fetcher.ts made the same choice). */
export function createSubgraphClient(options: SubgraphClientOptions): SubgraphCall {
  const target = new URL(options.url);
  const transport = target.protocol === 'https:' ? https : http;
  const agent = new transport.Agent({ keepAlive: true, scheduling: 'lifo' });
  return async <T>(query: string, variables: Record<string, unknown>, requestId?: string): Promise<T> => {
    let answer: WholeAnswer;
    let body: { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
    const signal = AbortSignal.timeout(options.timeoutMs);
    try {
      const headers = {
        'content-type': 'application/json',
        [SERVICE_CREDENTIAL_HEADER]: options.serviceCredential,
        ...(requestId ? { [REQUEST_ID_HEADER]: requestId } : {}),
      };
      // Every saga call is idempotent per order id, so a reset reused socket may be retried.
      answer = await requestOnKeptAliveSocket(transport, target, { method: 'POST', headers, agent, signal }, JSON.stringify({ query, variables }));
      body = JSON.parse(answer.text) as typeof body;
    } catch {
      throw new SubgraphCallError(`${options.name} ${signal.aborted ? `did not answer within ${options.timeoutMs} ms` : 'is unreachable'}`, true);
    }
    const [first] = body.errors ?? [];
    if (first) {
      const code = first.extensions?.code;
      throw new SubgraphCallError(`${options.name} answered ${code ?? 'an error'}: ${first.message}`, code === undefined || TRANSIENT_CODES.has(code), code);
    }
    if (answer.status >= 500 || body.data === undefined) throw new SubgraphCallError(`${options.name} answered HTTP ${answer.status}`, true);
    return body.data;
  };
}

export interface RetryPolicy {
  retries: number;
  baseDelayMs: number;
}

/** Retries transient failures with exponential backoff and jitter, so replicas retrying
 *  after the same outage do not arrive in lockstep. Refusals are not retried. */
export async function withRetries<T>(policy: RetryPolicy, attempt: () => Promise<T>, onRetry?: (error: SubgraphCallError) => void): Promise<T> {
  for (let tried = 0; ; tried += 1) {
    try {
      return await attempt();
    } catch (error) {
      const transient = error instanceof SubgraphCallError && error.transient;
      if (!transient || tried >= policy.retries) throw error;
      onRetry?.(error);
      const ceiling = policy.baseDelayMs * 2 ** tried;
      await new Promise((resolve) => setTimeout(resolve, ceiling / 2 + Math.random() * (ceiling / 2)));
    }
  }
}
