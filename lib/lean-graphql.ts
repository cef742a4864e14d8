import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLResponse } from '@apollo/server';
import { errorBody, type PublicErrorCode } from './errors.js';
import type { Logger } from './log.js';
import { openRequestLog, type RequestLog } from './request-log.js';

/** What a context reads of its request: express' Request has it, and so does the lean route's. */
export interface GraphQLRequestView {
  header(name: string): string | undefined;
  body?: unknown;
}

/** A request's answer before GraphQL runs, shaped like a GraphQL response so every client can show it. */
export function sendHttpError(res: ServerResponse, status: number, code: PublicErrorCode, message: string): void {
  const body = JSON.stringify(errorBody(code, message));
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
}

/** Writes Apollo's answer: headers, status and the body, whole or in its incremental parts. */
export async function sendGraphQLResponse(res: ServerResponse, response: HTTPGraphQLResponse): Promise<void> {
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.setHeader('content-length', Buffer.byteLength(response.body.string));
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/** "100kb", "1mb" or a number of bytes, as the services' BODY_LIMIT settings are written. */
export function bodyLimitBytes(limit: string): number | undefined {
  const match = /^(\d+)(kb|mb)?$/i.exec(limit);
  return match ? Number(match[1]) * BYTES_PER_UNIT[(match[2] ?? '').toLowerCase()]! : undefined;
}

const BYTES_PER_UNIT: Record<string, number> = { '': 1, kb: 1024, mb: 1024 * 1024 };

const JSON_UTF8 = /^application\/json\s*(;\s*charset="?utf-8"?\s*)?$/i;

export interface LeanRouteOptions<TContext extends BaseContext> {
  logger: Logger;
  limitBytes: number;
  context: (req: GraphQLRequestView, log: RequestLog) => Promise<TContext>;
  /** Headers every /graphql answer carries before GraphQL runs (CORS); calls next when done. */
  before?: (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
  /** Express serves requests that accept multipart (the gateway's multipart subscriptions). A
   *  subgraph has none, and peers' gateways (Hive) send `Accept: ..., multipart/mixed` on every
   *  fetch, so there it stays false and those fetches keep the lean route. */
  multipartInExpress?: boolean;
}

/**
 * POST /graphql with a plain JSON body of a declared length within the limit, served straight
 * from node:http: what the gateway and the subgraphs send each other and most clients send.
 * Express' router, body-parser (with its charset and compression handling) and the express
 * integration were a tenth of a subgraph's CPU per request for a job this small. It answers
 * what the express route answers (a body that is not a JSON object or array gets the same 400);
 * anything else (another path or method, no length or one over the limit, a compressed or
 * non-UTF-8 body, a browser's Origin) returns false and goes to express, which keeps deciding
 * those refusals (413, 415) and CORS.
 */
export function leanGraphQLRoute<TContext extends BaseContext>(apollo: ApolloServer<TContext>, options: LeanRouteOptions<TContext>) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const { headers } = req;
    if (req.method !== 'POST' || req.url !== '/graphql' || headers.origin !== undefined || headers['content-encoding'] !== undefined) return false;
    if (headers['transfer-encoding'] !== undefined || !JSON_UTF8.test(headers['content-type'] ?? '')) return false;
    if (options.multipartInExpress && headers.accept?.includes('multipart/')) return false;
    const length = Number(headers['content-length']);
    if (!(length > 0 && length <= options.limitBytes)) return false;
    const log = openRequestLog(options.logger, req, res);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A client that goes away mid-body gets no answer; its log line says aborted.
    req.on('error', () => undefined);
    req.on('end', () => {
      // answer() catches what it can answer; a failure past that point leaves only the socket to close.
      const run = () => void answer(apollo, options, req, res, log, Buffer.concat(chunks).toString('utf8')).catch(() => res.destroy());
      if (options.before) options.before(req, res, run);
      else run();
    });
    return true;
  };
}

async function answer<TContext extends BaseContext>(
  apollo: ApolloServer<TContext>,
  options: LeanRouteOptions<TContext>,
  req: IncomingMessage,
  res: ServerResponse,
  log: RequestLog,
  text: string,
): Promise<void> {
  let body: unknown;
  try {
    // body-parser's strict mode, which the express route uses: only an object or an array.
    body = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    body = undefined;
  }
  if (typeof body !== 'object' || body === null) {
    log.errorCodes.push('BAD_REQUEST');
    return sendHttpError(res, 400, 'BAD_REQUEST', 'The request body is not valid JSON');
  }
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  const view: GraphQLRequestView = { body, header: (name) => headers.get(name.toLowerCase()) };
  try {
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: 'POST', headers, search: '', body },
      context: () => options.context(view, log),
    });
    await sendGraphQLResponse(res, response);
  } catch (error) {
    log.logger.error({ err: error }, 'unhandled HTTP error');
    log.errorCodes.push('INTERNAL_SERVER_ERROR');
    if (!res.headersSent) sendHttpError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
    else res.destroy();
  }
}
