import { setMaxListeners } from 'node:events';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import type { Histogram } from 'prom-client';
import { GATEWAY_SECRET_HEADER } from '../../lib/auth.js';
import { publicError } from '../../lib/errors.js';
import { REQUEST_ID_HEADER } from '../../lib/http.js';
import type { Logger } from '../../lib/log.js';
import type { SubgraphAnswer, SubgraphFetcher } from './subgraph-fetcher.js';

export interface ForwardingContext {
  authorization: string | undefined;
  requestId: string;
  /** When subgraph calls of this request are cut off, on this process's monotonic clock
   *  (performance.now()): a step of the wall clock must not cut off or prolong a request. */
  deadline: number;
  /** The request's logger: its lines carry the request id. */
  logger: Logger;
}

type Outcome = 'ok' | 'http_error' | 'failed';

type Answer = Awaited<ReturnType<GraphQLDataSource['process']>>;

export interface ForwardingOptions {
  /** The subgraph's name in the supergraph, the metric's label. */
  name: string;
  url: string;
  fetcher: SubgraphFetcher;
  fetchDuration: Histogram<'subgraph' | 'outcome'>;
  gatewaySecret?: string;
}

/** One abort signal per request, at its deadline, shared by all of its subgraph fetches. */
const deadlines = new WeakMap<object, AbortSignal>();

function deadlineOf(context: Partial<ForwardingContext>): AbortSignal | undefined {
  if (typeof context.deadline !== 'number') return undefined;
  let signal = deadlines.get(context);
  if (!signal) {
    signal = AbortSignal.timeout(Math.max(Math.ceil(context.deadline - performance.now()), 1));
    // A plan may have many fetches in flight at once, each listening to it.
    setMaxListeners(0, signal);
    deadlines.set(context, signal);
  }
  return signal;
}

const isForwarding = (context: object): context is ForwardingContext => 'requestId' in context;

/**
 * Sends one fetch of a query plan to its subgraph, with the caller's token and the request id:
 * subgraphs check the token themselves, because their ports are reachable too. Each fetch is
 * bounded by the request's deadline: a hung subgraph costs the client the request timeout at
 * most, never a stuck connection.
 *
 * Apollo's RemoteGraphQLDataSource does the same through node-fetch: a WHATWG Request and two
 * Headers per fetch, a cache-control parse, and the fetcher's own response object, about a tenth
 * of the gateway's CPU on a nested page. This is the same exchange (the body
 * JSON.stringify({ query, variables, operationName }), Content-Type application/json, the answer's
 * JSON as the result) on the subgraph fetcher directly. The gateway's subgraphs send no
 * cache-control (lib/subgraph.ts), so each answer restricts the response's cache policy to
 * max-age 0, as Apollo's does for an answer without the header.
 */
export class ForwardingDataSource implements GraphQLDataSource<ForwardingContext> {
  /** The metric's series for this subgraph, one per outcome, looked up once rather than by labels on every fetch. */
  private readonly durations: Record<Outcome, { observe(seconds: number): void }>;

  constructor(private readonly options: ForwardingOptions) {
    const { name, fetchDuration } = options;
    this.durations = {
      ok: fetchDuration.labels({ subgraph: name, outcome: 'ok' }),
      http_error: fetchDuration.labels({ subgraph: name, outcome: 'http_error' }),
      failed: fetchDuration.labels({ subgraph: name, outcome: 'failed' }),
    };
  }

  async process(options: GraphQLDataSourceProcessOptions<ForwardingContext>): Promise<Answer> {
    const { request, context } = options;
    if (!request.query) throw new Error('Missing query');
    const { url, fetcher } = this.options;
    const started = performance.now();
    const stopTimer = (outcome: Outcome) => this.durations[outcome].observe((performance.now() - started) / 1000);
    let answer: SubgraphAnswer;
    try {
      const { http: _http, ...body } = request;
      answer = await fetcher(url, { method: 'POST', headers: this.headersFor(request, context), body: JSON.stringify(body), signal: deadlineOf(context) });
    } catch (error) {
      stopTimer('failed');
      throw this.unavailable(context, error);
    }
    const ok = answer.status >= 200 && answer.status < 300;
    stopTimer(ok ? 'ok' : 'http_error');
    if (!ok) throw errorFromAnswer(answer);
    let result: unknown;
    try {
      result = bodyOf(answer);
      if (typeof result !== 'object' || result === null) throw new Error(`Expected JSON response body, but received: ${answer.text.slice(0, 200)}`);
    } catch (error) {
      throw this.unavailable(context, error);
    }
    const policy = 'incomingRequestContext' in options ? options.incomingRequestContext.overallCachePolicy : undefined;
    if (policy && 'restrict' in policy) policy.restrict({ maxAge: 0 });
    return result as Answer;
  }

  private headersFor(request: GraphQLDataSourceProcessOptions<ForwardingContext>['request'], context: object): Record<string, string> {
    const headers: Record<string, string> = {};
    for (const [name, value] of request.http?.headers ?? []) headers[name.toLowerCase()] = value;
    headers['content-type'] = 'application/json';
    if (this.options.gatewaySecret) headers[GATEWAY_SECRET_HEADER] = this.options.gatewaySecret;
    if (isForwarding(context)) {
      if (context.authorization) headers.authorization = context.authorization;
      headers[REQUEST_ID_HEADER] = context.requestId;
    }
    return headers;
  }

  /**
   * A subgraph that does not answer (down, restarting, cut off at the deadline) or answers
   * something that is not GraphQL fails only the fields it owns, with SERVICE_UNAVAILABLE: the
   * client knows to retry, and the rest of the operation is served.
   */
  private unavailable(context: object, error: unknown): GraphQLError {
    const { name } = this.options;
    if (isForwarding(context)) context.logger.warn({ err: error, subgraph: name }, `the ${name} subgraph did not answer`);
    return publicError('SERVICE_UNAVAILABLE', `The ${name} service is unavailable; try again shortly`);
  }
}

function bodyOf(answer: SubgraphAnswer): unknown {
  const contentType = String(answer.headers['content-type'] ?? '');
  return contentType.startsWith('application/json') || contentType.startsWith('application/graphql-response+json') ? JSON.parse(answer.text) : answer.text;
}

/**
 * A subgraph refuses bad variables with HTTP 400 and its reason in the body (Apollo Server's
 * default). Keep that reason and code, as for any other refusal, instead of "400: Bad Request";
 * otherwise the error Apollo's data source gives: the status, and the answer in its extensions.
 */
function errorFromAnswer(answer: SubgraphAnswer): GraphQLError {
  let body: unknown;
  try {
    body = bodyOf(answer);
  } catch {
    body = answer.text;
  }
  const [first] = (body as { errors?: { message?: unknown; extensions?: { code?: unknown } }[] } | null)?.errors ?? [];
  const code = first?.extensions?.code;
  if (answer.status < 500 && typeof first?.message === 'string' && first.message && typeof code === 'string') return new GraphQLError(first.message, { extensions: { code } });
  const status = { 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN' }[answer.status];
  return new GraphQLError(`${answer.status}: ${answer.statusText}`, {
    extensions: { response: { url: answer.url, status: answer.status, statusText: answer.statusText, body }, ...(status && { code: status }) },
  });
}
