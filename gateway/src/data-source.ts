import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Fetcher, FetcherResponse } from '@apollo/utils.fetcher';
import { GraphQLError } from 'graphql';
import type { Histogram } from 'prom-client';
import { GATEWAY_SECRET_HEADER } from '../../lib/auth.js';
import { publicError } from '../../lib/errors.js';
import { REQUEST_ID_HEADER } from '../../lib/http.js';
import type { Logger } from '../../lib/log.js';

export interface ForwardingContext {
  authorization: string | undefined;
  requestId: string;
  /** When subgraph calls of this request are cut off, on this process's monotonic clock
   *  (performance.now()): a step of the wall clock must not cut off or prolong a request. */
  deadline: number;
  /** The request's logger: its lines carry the request id. */
  logger: Logger;
}

const DEADLINE_HEADER = 'x-request-deadline';

/** Gives each subgraph fetch the request's deadline as its abort signal: a hung subgraph costs
 *  the client the request timeout at most, never a stuck connection. The deadline travels from
 *  willSendRequest in a header that is taken off again here, so identical fetches still share. */
function withDeadline(fetcher: Fetcher): Fetcher {
  return (url, init = {}) => {
    const { [DEADLINE_HEADER]: deadline, ...headers } = (init.headers ?? {}) as Record<string, string>;
    const remaining = deadline ? Number(deadline) - performance.now() : Number.NaN;
    if (!Number.isFinite(remaining)) return fetcher(url, { ...init, headers });
    return fetcher(url, { ...init, headers, signal: AbortSignal.timeout(Math.max(Math.ceil(remaining), 1)) });
  };
}

/** Times every fetch to one subgraph, whether it answers, answers with an error status, or fails. */
function timed(fetcher: Fetcher, subgraph: string, histogram: Histogram<'subgraph' | 'outcome'>): Fetcher {
  return async (url, init) => {
    const stopTimer = histogram.startTimer({ subgraph });
    try {
      const response = await fetcher(url, init);
      stopTimer({ outcome: response.ok ? 'ok' : 'http_error' });
      return response;
    } catch (error) {
      stopTimer({ outcome: 'failed' });
      throw error;
    }
  };
}

export interface ForwardingOptions {
  /** The subgraph's name in the supergraph, the metric's label. */
  name: string;
  url: string;
  fetcher: Fetcher;
  fetchDuration: Histogram<'subgraph' | 'outcome'>;
  gatewaySecret?: string;
}

/** Forwards the caller's token and the request id to every subgraph: subgraphs check the
 *  token themselves, because their ports are reachable too. */
export class ForwardingDataSource extends RemoteGraphQLDataSource<ForwardingContext> {
  private readonly gatewaySecret: string | undefined;
  private readonly name: string;

  constructor(options: ForwardingOptions) {
    super({ url: options.url, fetcher: timed(withDeadline(options.fetcher), options.name, options.fetchDuration) });
    this.gatewaySecret = options.gatewaySecret;
    this.name = options.name;
  }

  /**
   * A subgraph that does not answer (down, restarting, cut off at the deadline) fails only the
   * fields it owns, with SERVICE_UNAVAILABLE: the client knows to retry, and the rest of the
   * operation is served. Answers that are errors keep their own code (errorFromResponse).
   */
  override async process(options: GraphQLDataSourceProcessOptions<ForwardingContext>) {
    try {
      return await super.process(options);
    } catch (error) {
      if (error instanceof GraphQLError) throw error;
      if ('logger' in options.context) options.context.logger.warn({ err: error, subgraph: this.name }, `the ${this.name} subgraph did not answer`);
      throw publicError('SERVICE_UNAVAILABLE', `The ${this.name} service is unavailable; try again shortly`);
    }
  }

  /**
   * A subgraph refuses bad variables with HTTP 400 and its reason in the body (Apollo Server's
   * default). Keep that reason and code, as for any other refusal, instead of "400: Bad Request".
   */
  override async errorFromResponse(response: FetcherResponse): Promise<GraphQLError> {
    const body = (await this.parseBody(response).catch(() => null)) as { errors?: { message?: string; extensions?: { code?: unknown } }[] } | null;
    const [first] = body?.errors ?? [];
    const code = first?.extensions?.code;
    if (response.status < 500 && first?.message && typeof code === 'string') return new GraphQLError(first.message, { extensions: { code } });
    return super.errorFromResponse(response);
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<ForwardingContext>): void {
    if (this.gatewaySecret) request.http?.headers.set(GATEWAY_SECRET_HEADER, this.gatewaySecret);
    if (!('requestId' in context)) return;
    if (context.authorization) request.http?.headers.set('authorization', context.authorization);
    request.http?.headers.set(REQUEST_ID_HEADER, context.requestId);
    request.http?.headers.set(DEADLINE_HEADER, String(context.deadline));
  }
}
