import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Fetcher, FetcherResponse } from '@apollo/utils.fetcher';
import { GraphQLError } from 'graphql';
import { GATEWAY_SECRET_HEADER } from '../../lib/auth.js';
import { REQUEST_ID_HEADER } from '../../lib/http.js';

export interface ForwardingContext {
  authorization: string | undefined;
  requestId: string;
  /** Epoch ms after which subgraph calls of this request are cut off. */
  deadline: number;
}

const DEADLINE_HEADER = 'x-request-deadline';

/** Gives each subgraph fetch the request's deadline as its abort signal: a hung subgraph costs
 *  the client the request timeout at most, never a stuck connection. The deadline travels from
 *  willSendRequest in a header that is taken off again here, so identical fetches still share. */
function withDeadline(fetcher: Fetcher): Fetcher {
  return (url, init = {}) => {
    const { [DEADLINE_HEADER]: deadline, ...headers } = (init.headers ?? {}) as Record<string, string>;
    const remaining = deadline ? Number(deadline) - Date.now() : Number.NaN;
    if (!Number.isFinite(remaining)) return fetcher(url, { ...init, headers });
    return fetcher(url, { ...init, headers, signal: AbortSignal.timeout(Math.max(remaining, 1)) });
  };
}

/** Forwards the caller's token and the request id to every subgraph: subgraphs check the
 *  token themselves, because their ports are reachable too. */
export class ForwardingDataSource extends RemoteGraphQLDataSource<ForwardingContext> {
  constructor(url: string, fetcher: Fetcher, private readonly gatewaySecret?: string) {
    super({ url, fetcher: withDeadline(fetcher) });
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
