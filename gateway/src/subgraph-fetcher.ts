import http from 'node:http';
import https from 'node:https';
import type { Fetcher, FetcherRequestInit, FetcherResponse } from '@apollo/utils.fetcher';
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

interface Answer extends WholeAnswer {
  url: string;
}

/**
 * The gateway's HTTP client for subgraph fetches, in place of Apollo's default
 * (make-fetch-happen), whose cache and proxy layers cost more CPU per call than the rest of a
 * fetch. Plain node:http on keep-alive sockets, so a busy gateway reuses a few warm connections
 * per subgraph instead of opening one per fetch.
 *
 * Identical queries in flight at the same moment are sent once and the answer shared, as
 * Hive Gateway and Apollo Router do: a burst of the same page from the same caller costs the
 * subgraph one execution. "Identical" means the same URL, headers (the caller's token included,
 * so two callers never share an answer) and body; the request id is left out of the key, so the
 * subgraph logs the first caller's. Mutations are never shared. Each caller gets the body as
 * text and parses its own copy, because the gateway merges entity results into the objects it
 * parsed.
 */
export function createSubgraphFetcher(options: SubgraphFetcherOptions = {}): Fetcher {
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 128, scheduling: 'lifo' as const };
  const agents = { 'http:': new http.Agent(agentOptions), 'https:': new https.Agent(agentOptions) };
  const timeoutMs = options.timeoutMs ?? 30_000;
  const inFlight = new Map<string, Promise<Answer>>();

  const send = async (url: string, init: FetcherRequestInit): Promise<Answer> => {
    const target = new URL(url);
    const protocol = target.protocol === 'https:' ? 'https:' : 'http:';
    const fallback = init.signal ? undefined : AbortSignal.timeout(timeoutMs);
    const options = { method: init.method ?? 'GET', headers: init.headers, agent: agents[protocol], signal: init.signal ?? fallback };
    try {
      return { url, ...(await requestOnKeptAliveSocket(protocol === 'https:' ? https : http, target, options, init.body)) };
    } catch (error) {
      throw fallback?.aborted ? new Error(`${url} did not answer within ${timeoutMs} ms`) : error;
    }
  };

  return async (url, init = {}) => {
    if (!isShareable(init)) return new SubgraphResponse(await send(url, init));
    const key = shareKey(url, init);
    let pending = inFlight.get(key);
    if (!pending) {
      pending = send(url, init).finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    return new SubgraphResponse(await pending);
  };
}

/** The gateway's fetch body is JSON.stringify({ query, ... }), the operation text first. */
function isShareable(init: FetcherRequestInit): boolean {
  return init.method === 'POST' && typeof init.body === 'string' && !/^\{"query":"\s*(mutation|subscription)\b/.test(init.body);
}

function shareKey(url: string, init: FetcherRequestInit): string {
  const headers = Object.entries(init.headers ?? {})
    .filter(([name]) => name.toLowerCase() !== REQUEST_ID_HEADER)
    .map(([name, value]) => `${name.toLowerCase()}:${value}`)
    .sort();
  return `${url}\n${headers.join('\n')}\n${String(init.body)}`;
}

class SubgraphResponse implements FetcherResponse {
  readonly redirected = false;
  readonly headers: Headers;
  bodyUsed = false;

  constructor(private readonly answer: Answer) {
    this.headers = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value !== undefined) this.headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
  }

  get url() {
    return this.answer.url;
  }
  get status() {
    return this.answer.status;
  }
  get statusText() {
    return this.answer.statusText;
  }
  get ok() {
    return this.answer.status >= 200 && this.answer.status < 300;
  }
  async text(): Promise<string> {
    this.bodyUsed = true;
    return this.answer.text;
  }
  async json(): Promise<any> {
    return JSON.parse(await this.text());
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = Buffer.from(await this.text());
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }
  clone(): FetcherResponse {
    return new SubgraphResponse(this.answer);
  }
}
