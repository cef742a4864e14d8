import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler, Response } from 'express';
import { GraphQLError } from 'graphql';
import { maskedCauseOf } from './errors.js';
import type { Logger } from './log.js';
import { responseErrorCodes } from './metrics.js';

export const REQUEST_ID_HEADER = 'x-request-id';

/** Accepts a caller's request id when it looks like one, otherwise makes a new one. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
}

/** One HTTP request to /graphql: its id, its logger, and what its one log line will say. */
export interface RequestLog {
  id: string;
  /** Every line this request logs goes through it, so each carries `requestId`. */
  logger: Logger;
  operations: string[];
  types: string[];
  errorCodes: string[];
}

const REQUEST_LOG = Symbol('requestLog');

/** The log of the request `res` answers; undefined outside /graphql. */
export function requestLogOf(res: Response): RequestLog | undefined {
  return res.locals.requestLog as RequestLog | undefined;
}

/**
 * Gives a request to /graphql its id (the caller's x-request-id, or a new one, echoed in the
 * answer) and a child logger, and writes one info line when the answer has gone: operation,
 * type, HTTP status, duration and the error codes it carried.
 */
export function openRequestLog(logger: Logger, req: IncomingMessage, res: ServerResponse): RequestLog {
  const id = requestIdOf(req);
  res.setHeader(REQUEST_ID_HEADER, id);
  const log: RequestLog = { id, logger: logger.child({ requestId: id }), operations: [], types: [], errorCodes: [] };
  const started = performance.now();
  res.once('close', () => {
    // The level check comes first: with info off, a request costs no object and no string.
    if (!log.logger.isLevelEnabled('info')) return;
    log.logger.info(
      {
        operation: log.operations.length > 0 ? log.operations.join(',') : null,
        type: log.types.length > 0 ? log.types.join(',') : null,
        status: res.statusCode,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
        ...(log.errorCodes.length > 0 ? { errors: log.errorCodes } : {}),
        ...(res.writableFinished ? {} : { aborted: true }),
      },
      'graphql request',
    );
  });
  return log;
}

/** openRequestLog as express middleware, mounted before body parsing so a refused body (413,
 *  malformed JSON) gets its line too. */
export function logRequests(logger: Logger): RequestHandler {
  return (req, res, next) => {
    res.locals.requestLog = openRequestLog(logger, req, res);
    next();
  };
}

/** Ties a context to its request's log, for the plugin below; batched operations share one context. */
export function withRequestLog<TContext extends BaseContext>(context: TContext, log: RequestLog): TContext {
  (context as Record<symbol, unknown>)[REQUEST_LOG] = log;
  return context;
}

/** The request's context could not be made (a bad token, a refused batch): record why. */
export function contextFailed(log: RequestLog, error: unknown): void {
  if (error instanceof GraphQLError) {
    log.errorCodes.push(String(error.extensions.code ?? 'INTERNAL_SERVER_ERROR'));
    return;
  }
  log.errorCodes.push('INTERNAL_SERVER_ERROR');
  log.logger.error({ err: error }, 'internal error while reading the request');
}

/** Fills in the request's line from Apollo: operation name, type and error codes, and writes the
 *  real error behind every masked one, with the request's id. */
export function requestLogPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart({ contextValue }) {
      const log = (contextValue as Record<symbol, RequestLog | undefined>)[REQUEST_LOG];
      if (!log) return;
      return {
        async willSendResponse({ operationName, operation, errors, response }) {
          log.operations.push(operationName ?? 'anonymous');
          log.types.push(operation?.operation ?? 'unknown');
          for (const error of errors ?? []) {
            const cause = maskedCauseOf(error);
            if (cause !== undefined) log.logger.error({ err: cause, path: error.path }, 'internal error');
          }
          log.errorCodes.push(...responseErrorCodes(response));
        },
      };
    },
  };
}
