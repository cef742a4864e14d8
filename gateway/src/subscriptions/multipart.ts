import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import { getOperationAST, parse, type FormattedExecutionResult } from 'graphql';
import type { Counter } from 'prom-client';
import type { TokenVerifier } from '../../../lib/auth.js';
import { DomainError, type ErrorFormatter } from '../../../lib/errors.js';
import { requestLogOf } from '../../../lib/request-log.js';
import { openMultipart } from '../multipart-response.js';
import type { Logger } from '../../../lib/log.js';
import type { SubscriptionEngine } from './engine.js';
import { subscriberFrom } from './subscriber.js';

export interface MultipartSettings {
  /** An empty part this often keeps an idle stream open through proxies (Apollo's spec: `{}`). */
  heartbeatMs: number;
  /** How long a write may wait for the client to read before the stream is dropped. */
  slowReaderMs: number;
}

const BOUNDARY = 'graphql';

/** Apollo's multipart subscription protocol, which Apollo Client's HttpLink speaks unasked. */
export function acceptsMultipartSubscription(accept: string | undefined): boolean {
  return accept !== undefined && /multipart\/mixed/i.test(accept) && /subscriptionSpec\s*=\s*"?1\.0"?/i.test(accept);
}

function isSubscription(body: { query?: unknown; operationName?: unknown } | undefined): boolean {
  if (typeof body?.query !== 'string') return false;
  try {
    return getOperationAST(parse(body.query), typeof body.operationName === 'string' ? body.operationName : undefined)?.operation === 'subscription';
  } catch {
    return false;
  }
}

const STATUS_OF: Record<string, number> = { UNAUTHENTICATED: 401, RATE_LIMITED: 429, INTERNAL_SERVER_ERROR: 500 };

/** A refusal before any part: an ordinary JSON answer with the status its code means. */
export function refuse(res: Response, result: FormattedExecutionResult, status?: number): void {
  const code = String(result.errors?.[0]?.extensions?.code ?? 'BAD_REQUEST');
  res.status(status ?? STATUS_OF[code] ?? 400).type('application/json').send(JSON.stringify(result));
}

/**
 * POST /graphql with `Accept: multipart/mixed;subscriptionSpec="1.0"` and a subscription: one part
 * per event, `{"payload": <result>}`, heartbeats between, the closing boundary when the stream
 * ends for any reason (the gateway stopping included), so the client sees an end, not a reset.
 * Anything else goes on to Apollo Server.
 */
export function multipartSubscriptions(engine: SubscriptionEngine, verify: TokenVerifier, formatError: ErrorFormatter, settings: MultipartSettings, logger: Logger, slowReaders: Counter<'transport'>): RequestHandler {
  return async (req, res, next) => {
    if (req.method !== 'POST' || !acceptsMultipartSubscription(req.header('accept')) || !isSubscription(req.body)) return next();
    const log = requestLogOf(res);
    const requestId = log?.id ?? randomUUID();
    const requestLogger = log?.logger ?? logger.child({ requestId });
    let subscriber;
    try {
      subscriber = await subscriberFrom(verify, req.header('authorization'));
    } catch (error) {
      const message = error instanceof DomainError ? error.message : 'The token is invalid or expired';
      return refuse(res, { errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] });
    }
    const started = await engine.start(req.body as object, subscriber, { requestId, logger: requestLogger, transport: 'multipart' });
    if ('refusal' in started) return refuse(res, started.refusal);
    const { stream } = started;
    const response = openMultipart(res, {
      boundary: BOUNDARY,
      spec: 'subscriptionSpec="1.0"',
      requestId,
      slowReaderMs: settings.slowReaderMs,
      onSlowReader: () => {
        slowReaders.inc({ transport: 'multipart' });
        requestLogger.warn('a multipart subscriber stopped reading; its stream is dropped');
      },
      onClose: () => void stream.return(),
    });
    const heartbeat = setInterval(() => void response.write('{}'), settings.heartbeatMs);
    try {
      for await (const result of stream) {
        if (!(await response.write(JSON.stringify({ payload: result })))) break;
      }
      response.end();
    } catch (error) {
      requestLogger.error({ err: error }, 'a multipart subscription failed');
      const masked = formatError({ message: 'Internal server error' }, error);
      response.end(JSON.stringify({ payload: null, errors: [masked] }));
    } finally {
      clearInterval(heartbeat);
    }
  };
}
