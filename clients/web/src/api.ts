import type { TypedDocumentString } from './generated/graphql.js';

/** The server answered with a GraphQL error; `code` is its extensions.code (UNAUTHENTICATED, ...). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/** No answer came back: the request may or may not have been carried out, so only a request
 *  that is safe to repeat (a query, or a mutation with the same idempotency key) may be retried. */
export class NetworkError extends Error {}

interface GraphQLBody<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export interface Api {
  /** A query over GET with an automatic persisted query: the URL carries only the query's hash,
   *  and the full text is sent once, when the server does not know the hash yet. */
  query<R, V>(document: TypedDocumentString<R, V>, variables: V): Promise<R>;
  /** A mutation over POST (the server refuses mutations over GET). */
  mutate<R, V>(document: TypedDocumentString<R, V>, variables: V): Promise<R>;
}

export function createApi(endpoint: string, token: () => string | undefined): Api {
  const headers = (): Record<string, string> => {
    const value = token();
    // Apollo's CSRF prevention lets a GET through only with a header a plain form cannot send.
    return { accept: 'application/json', 'apollo-require-preflight': 'true', ...(value ? { authorization: `Bearer ${value}` } : {}) };
  };
  const post = <R>(body: object) =>
    send<R>(endpoint, { method: 'POST', headers: { ...headers(), 'content-type': 'application/json' }, body: JSON.stringify(body) });

  return {
    async query(document, variables) {
      const query = document.toString();
      const extensions = { persistedQuery: { version: 1, sha256Hash: await sha256(query) } };
      const url = new URL(endpoint, location.href);
      url.searchParams.set('variables', JSON.stringify(variables));
      url.searchParams.set('extensions', JSON.stringify(extensions));
      try {
        return await send(url.toString(), { method: 'GET', headers: headers() });
      } catch (error) {
        if (!(error instanceof ApiError && error.code === 'PERSISTED_QUERY_NOT_FOUND')) throw error;
        return post({ query, variables, extensions });
      }
    },
    mutate: (document, variables) => post({ query: document.toString(), variables }),
  };
}

async function send<R>(url: string, init: RequestInit): Promise<R> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch {
    throw new NetworkError('Could not reach the shop: check your connection and try again');
  }
  const body = (await response.json().catch(() => undefined)) as GraphQLBody<R> | undefined;
  if (!body) throw new NetworkError(`The shop answered ${response.status} without a GraphQL response; try again`);
  const [error] = body.errors ?? [];
  if (error) throw new ApiError(error.message, error.extensions?.code);
  if (!body.data) throw new ApiError('The shop sent no data', undefined);
  return body.data;
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
