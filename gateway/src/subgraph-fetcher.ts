import http from 'node:http';
import https from 'node:https';
import { REQUEST_ID_HEADER } from '../../lib/http.js';
import { requestOnKeptAliveSocket, type WholeAnswer } from '../../lib/kept-alive-request.js';

export interface SubgraphFetcherOptions {
  /** Longest a fetch that brings no abort signal of its own may take (default 30 s). The
   *  gateway's fetches bring the request's deadline (data-source.ts), which alone bounds them, so
   *  a slow answer is waited for as long as GATEWAY_REQUEST_TIMEOUT_MS allows. */
  timeoutMs?: number;
  /** Most sockets open to one subgraph; beyond that, calls queue for a free one. */
  maxSockets?: number;
}

export interface SubgraphRequest {
  method: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

/** A subgraph's whole answer: each caller parses its own copy of `text`. */
export interface SubgraphAnswer extends WholeAnswer {
  url: string;
}

export type SubgraphFetcher = (url: string, request: SubgraphRequest) => Promise<SubgraphAnswer>;

/**
 * The gateway's HTTP client for subgraph fetches, in place of Apollo's default
 * (make-fetch-happen and node-fetch), whose cache, proxy and WHATWG request and header layers cost
 * more CPU per call than the rest of a fetch. Plain node:http on keep-alive sockets, so a busy
 * gateway reuses a few warm connections per subgraph instead of opening one per fetch, and the
 * answer handed back as its status, headers and text.
 *
 * Identical queries in flight at the same moment are sent once and the answer shared, as
 * Hive Gateway and Apollo Router do: a burst of the same page from the same caller costs the
 * subgraph one execution. "Identical" means the same URL, headers (the caller's token included,
 * so two callers never share an answer) and body; the request id is left out of the key, so the
 * subgraph logs the first caller's. Mutations are never shared. Each caller gets the body as
 * text and parses its own copy, because the gateway merges entity results into the objects it
 * parsed.
 */
export function createSubgraphFetcher(options: SubgraphFetcherOptions = {}): SubgraphFetcher {
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 128, scheduling: 'lifo' as const };
  const agents = { 'http:': new http.Agent(agentOptions), 'https:': new https.Agent(agentOptions) };
  const timeoutMs = options.timeoutMs ?? 30_000;
  const inFlight = new Map<string, Promise<SubgraphAnswer>>();

  const send = async (url: string, request: SubgraphRequest): Promise<SubgraphAnswer> => {
    const target = new URL(url);
    const protocol = target.protocol === 'https:' ? 'https:' : 'http:';
    const fallback = request.signal ? undefined : AbortSignal.timeout(timeoutMs);
    const options = { method: request.method, headers: request.headers, agent: agents[protocol], signal: request.signal ?? fallback };
    try {
      return { url, ...(await requestOnKeptAliveSocket(protocol === 'https:' ? https : http, target, options, request.body)) };
    } catch (error) {
      throw fallback?.aborted ? new Error(`${url} did not answer within ${timeoutMs} ms`) : error;
    }
  };

  return (url, request) => {
    if (!isShareable(request)) return send(url, request);
    const key = shareKey(url, request);
    let pending = inFlight.get(key);
    if (!pending) {
      pending = send(url, request).finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    return pending;
  };
}

/** The gateway's fetch body is JSON.stringify({ query, ... }), the operation text first. */
function isShareable(request: SubgraphRequest): boolean {
  return request.method === 'POST' && typeof request.body === 'string' && !/^\{"query":"\s*(mutation|subscription)\b/.test(request.body);
}

function shareKey(url: string, request: SubgraphRequest): string {
  const headers = Object.entries(request.headers)
    .filter(([name]) => name !== REQUEST_ID_HEADER)
    .map(([name, value]) => `${name}:${value}`)
    .sort();
  return `${url}\n${headers.join('\n')}\n${request.body}`;
}
