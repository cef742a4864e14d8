import type { RequestHandler } from 'express';
import { getOperationAST, parse, validate, type DocumentNode, type GraphQLError } from 'graphql';
import type { TokenVerifier } from '../../../lib/auth.js';
import { DomainError, publicError, toGraphQLError, type ErrorFormatter } from '../../../lib/errors.js';
import { containsNulInput } from '../../../lib/input-guard.js';
import { requestLogOf } from '../../../lib/request-log.js';
import type { OperationChecker, TokenCounter } from '../limits.js';
import { openMultipart, type MultipartResponse } from '../multipart-response.js';
import { refuse } from '../subscriptions/multipart.js';
import type { SupergraphState } from '../subscriptions/supergraph-state.js';
import { resolveDefers } from './document.js';
import { executeIncrementally, type IncrementalPayload } from './executor.js';

/** Apollo Client's Defer20220824Handler asks for this; it is the format Apollo Router speaks. */
export function acceptsIncrementalDelivery(accept: string | undefined): boolean {
  return accept !== undefined && /multipart\/mixed/i.test(accept) && /deferSpec\s*=\s*"?20220824"?/i.test(accept);
}

export interface IncrementalDeps {
  state: () => SupergraphState;
  verify: TokenVerifier;
  checkLimits: OperationChecker;
  countTokens: TokenCounter;
  formatError: ErrorFormatter;
  requestTimeoutMs: number;
  slowReaderMs: number;
}

/**
 * POST /graphql of a query or mutation with an active @defer, from a client that accepts
 * `multipart/mixed;deferSpec=20220824`: the initial payload, then each deferred fragment as it is
 * resolved (executor.ts). Everything else goes on to Apollo Server, which answers it whole: a
 * request it would refuse (parse, validation, an unknown operation) gets Apollo's own answer, and
 * @defer there is ignored, so a client that does not accept multipart gets the same data at once.
 * The gateway's checks apply to the operation as a whole: tokens, limits, the caller's token, one
 * request timeout for every part.
 */
export function incrementalDelivery(deps: IncrementalDeps): RequestHandler {
  return async (req, res, next) => {
    const body = req.body as { query?: unknown; variables?: unknown; operationName?: unknown } | undefined;
    if (req.method !== 'POST' || !acceptsIncrementalDelivery(req.header('accept')) || typeof body?.query !== 'string' || !body.query.includes('@defer')) return next();
    const { query } = body;
    const operationName = typeof body.operationName === 'string' ? body.operationName : undefined;
    const variables = (body.variables ?? {}) as Record<string, unknown>;
    if (typeof variables !== 'object' || Array.isArray(variables)) return next();
    const log = requestLogOf(res)!;
    const refuseWith = (error: GraphQLError, status?: number) => {
      log.errorCodes.push(String(error.extensions.code));
      refuse(res, { errors: [deps.formatError(error.toJSON(), error)] }, status);
    };
    try {
      await deps.countTokens(body);
    } catch (error) {
      return refuseWith(error as GraphQLError);
    }
    const state = deps.state();
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch {
      return next();
    }
    const operation = getOperationAST(document, operationName);
    if (!operation || operation.operation === 'subscription' || validate(state.schema, document).length > 0) return next();
    const deferred = resolveDefers(document, operation, variables);
    if (!deferred) return next();
    const overLimit = deps.checkLimits(state.schema, document, operation, variables);
    if (overLimit) return refuseWith(overLimit);
    if (containsNulInput(document, variables)) return refuseWith(publicError('BAD_USER_INPUT', 'Text must not contain NUL (\\u0000) characters'));
    let authorization: string | undefined;
    try {
      authorization = req.header('authorization');
      await deps.verify(authorization);
    } catch (error) {
      // As the context function refuses it for Apollo Server: a bad token never counts as anonymous.
      if (error instanceof DomainError) return refuseWith(toGraphQLError(error), error.httpStatus);
      log.logger.error({ err: error }, 'the token could not be checked');
      return refuseWith(publicError('INTERNAL_SERVER_ERROR', 'Internal server error'), 500);
    }
    log.operations.push(operationName ?? operation.name?.value ?? 'anonymous');
    log.types.push(operation.operation);

    const plan = state.planIncremental({ kind: document.kind, definitions: [deferred.operation] }, `${deferred.switches}\n${query}`, operationName);
    if (plan.node?.kind !== 'Defer') return next();
    const deadline = performance.now() + deps.requestTimeoutMs;
    const context = { authorization, requestId: log.id, deadline, logger: log.logger };
    const { stream } = executeIncrementally(plan, { query, variables, operationName, deferred, context, logger: log.logger }, state, deps.formatError);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      void stream.return();
    }, deps.requestTimeoutMs);
    const timeoutError = () => {
      log.errorCodes.push('REQUEST_TIMEOUT');
      const error = publicError('REQUEST_TIMEOUT', `The request took longer than ${deps.requestTimeoutMs} ms and was stopped`);
      return deps.formatError(error.toJSON(), error);
    };
    let response: MultipartResponse | undefined;
    try {
      const first = await stream.next();
      if (first.done) return refuse(res, { errors: [timedOut ? timeoutError() : internalError(deps.formatError)] }, timedOut ? 504 : 500);
      noteErrorCodes(log.errorCodes, first.value);
      // The saga refuses a customer over its placeOrder limit before doing anything: answered as
      // the ordinary path answers it, 429 with Retry-After, not as a stream.
      const rateLimited = first.value.errors?.find((error) => error.extensions?.code === 'RATE_LIMITED');
      if (rateLimited) {
        void stream.return();
        res.setHeader('retry-after', String(rateLimited.extensions?.retryAfterSeconds ?? 1));
        return refuse(res, { data: first.value.data, errors: first.value.errors }, 429);
      }
      response = openMultipart(res, {
        boundary: '-',
        spec: 'deferSpec=20220824',
        requestId: log.id,
        slowReaderMs: deps.slowReaderMs,
        onSlowReader: () => log.logger.warn('a client stopped reading its deferred parts; its stream is dropped'),
        onClose: () => void stream.return(),
      });
      let last = first.value;
      if (!(await response.write(JSON.stringify(last)))) return;
      for await (const payload of stream) {
        // A part that comes at the deadline holds the fetches it cut off: the timeout is its answer.
        if (performance.now() >= deadline) {
          timedOut = true;
          break;
        }
        noteErrorCodes(log.errorCodes, payload);
        last = payload;
        if (!(await response.write(JSON.stringify(payload)))) return;
      }
      response.end(timedOut && last.hasNext ? JSON.stringify({ hasNext: false, errors: [timeoutError()] }) : undefined);
    } catch (error) {
      log.logger.error({ err: error }, 'a deferred operation failed');
      log.errorCodes.push('INTERNAL_SERVER_ERROR');
      const masked = internalError(deps.formatError, error);
      if (response) response.end(JSON.stringify({ hasNext: false, errors: [masked] }));
      else refuse(res, { errors: [masked] }, 500);
    } finally {
      clearTimeout(timer);
    }
  };
}

function internalError(formatError: ErrorFormatter, cause?: unknown) {
  return formatError({ message: 'Internal server error' }, cause ?? new Error('the deferred operation ended without an answer'));
}

function noteErrorCodes(codes: string[], payload: IncrementalPayload): void {
  for (const error of [...(payload.errors ?? []), ...(payload.incremental ?? []).flatMap((part) => part.errors ?? [])]) {
    codes.push(String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
  }
}
