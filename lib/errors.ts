import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/** The gateway's refusals of an operation over its limits (gateway/src/limits.ts). */
export const LIMIT_ERROR_CODES = [
  'MAX_DEPTH_EXCEEDED',
  'MAX_ALIASES_EXCEEDED',
  'MAX_ROOT_FIELDS_EXCEEDED',
  'MAX_DIRECTIVES_EXCEEDED',
  'MAX_TOKENS_EXCEEDED',
  'COST_LIMIT_EXCEEDED',
  'BATCH_LIMIT_EXCEEDED',
] as const;
export type LimitErrorCode = (typeof LIMIT_ERROR_CODES)[number];

/** Every code a client may see: the contract's (CONTRACT.md) and the table in
 *  docs/error-codes.md, which a test keeps equal to this list. Anything else is masked. */
export const PUBLIC_ERROR_CODES = [
  ...LIMIT_ERROR_CODES,
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'IDEMPOTENCY_CONFLICT',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'SERVICE_UNAVAILABLE',
  'RATE_LIMITED',
  'REQUEST_TIMEOUT',
  'PAYLOAD_TOO_LARGE',
  'ORIGIN_NOT_ALLOWED',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'INTERNAL_SERVER_ERROR',
] as const;
export type PublicErrorCode = (typeof PUBLIC_ERROR_CODES)[number];

/** Codes whose message reaches the client as it is: all but the masked internal error. */
const PASSED_THROUGH = new Set<string>(PUBLIC_ERROR_CODES.filter((code) => code !== 'INTERNAL_SERVER_ERROR'));

/** An error for the client with one of the public codes; the formatter passes it through. */
export function publicError(code: PublicErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, code } });
}

/** The shape of one error as a client receives it, for answers GraphQL never runs on. */
export function errorBody(code: PublicErrorCode, message: string): { errors: GraphQLFormattedError[] } {
  return { errors: [{ message, extensions: { code } }] };
}

export abstract class DomainError extends Error {
  abstract readonly code: PublicErrorCode;
  /** HTTP status used when the error happens before execution (context creation). */
  readonly httpStatus: number = 200;
  /** Extensions the client may see besides the code. */
  readonly details: Record<string, unknown> = {};
}

export class BadInputError extends DomainError {
  readonly code = 'BAD_USER_INPUT';
}
export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND';
}
export class ConflictError extends DomainError {
  readonly code = 'CONFLICT';
}
export class IdempotencyConflictError extends DomainError {
  readonly code = 'IDEMPOTENCY_CONFLICT';
}
export class ForbiddenError extends DomainError {
  readonly code = 'FORBIDDEN';
}
/** A request reached a subgraph's port directly while the subgraph is set to answer only the gateway. */
export class GatewayOnlyError extends DomainError {
  readonly code = 'FORBIDDEN';
  override readonly httpStatus = 403;
}
export class UnauthenticatedError extends DomainError {
  readonly code = 'UNAUTHENTICATED';
  override readonly httpStatus = 401;
}

/** Over the placeOrder rate limit. The gateway answers 429 with `Retry-After` from retryAfterSeconds. */
export class RateLimitedError extends DomainError {
  readonly code = 'RATE_LIMITED';
  override readonly details: { retryAfterSeconds: number };
  constructor(retryAfterSeconds: number) {
    super(`Too many orders: try again in ${retryAfterSeconds} s`);
    this.details = { retryAfterSeconds };
  }
}

/** A dependency failed in a way a retry may fix (the payment processor's transient errors). */
export class UnavailableError extends DomainError {
  readonly code = 'SERVICE_UNAVAILABLE';
}

/** Turns a domain error into the GraphQLError Apollo Server sends (used where a
 *  thrown error would otherwise become a 500, e.g. in the context function). */
export function toGraphQLError(error: DomainError): GraphQLError {
  return new GraphQLError(error.message, {
    extensions: { code: error.code, http: { status: error.httpStatus } },
  });
}

/** For `.catch()` in a context function: a domain error goes on as its GraphQLError, anything
 *  else as it is (and is masked). */
export function rethrowAsGraphQLError(error: unknown): never {
  throw error instanceof DomainError ? toGraphQLError(error) : error;
}

const INTERNAL_MESSAGE = 'Internal server error';

/** The real error behind each "Internal server error" a response carries, until the request's
 *  log line (lib/request-log.ts) writes it with the request's id. */
const maskedCauses = new WeakMap<object, unknown>();

/** What an error that was masked for the client really was; undefined when it was not masked. */
export function maskedCauseOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? maskedCauses.get(error) : undefined;
}

export type ErrorFormatter = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/**
 * The one place that decides what a client sees of an error: domain errors and GraphQL's own
 * request errors keep their message and code; everything else (SQL, network, bugs) becomes
 * INTERNAL_SERVER_ERROR with a fixed message, and the real error goes to the request's log.
 */
export function createErrorFormatter(options: { trustSubgraphCodes?: boolean } = {}): ErrorFormatter {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const cause = asDomainError(rootCause(error));
    const code = formatted.extensions?.code;
    // At the gateway, a public code came from a subgraph that already masked its internals.
    const fromSubgraph = options.trustSubgraphCodes === true && typeof formatted.extensions?.serviceName === 'string';
    if (cause instanceof DomainError) {
      return { message: cause.message, path: formatted.path, locations: formatted.locations, extensions: { ...cause.details, code: cause.code } };
    }
    if ((cause instanceof GraphQLError || fromSubgraph) && typeof code === 'string' && PASSED_THROUGH.has(code)) {
      return { message: formatted.message, path: formatted.path, locations: formatted.locations, extensions: { code } };
    }
    if (typeof error === 'object' && error !== null) maskedCauses.set(error, cause);
    return { message: INTERNAL_MESSAGE, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}

/** GraphQL wraps a resolver's error in a located GraphQLError; what matters is the innermost one. */
function rootCause(error: unknown): unknown {
  let current = error;
  while (current instanceof GraphQLError && current.originalError) current = current.originalError;
  return current;
}

/** SQLSTATE classes and socket errors that mean "the database is not there right now". */
const DATABASE_DOWN = /^(0800[0-6]|57P0[1-3]|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE)$/;

/** A database outage is a clear, retryable error for the client, not a masked internal one. */
function asDomainError(error: unknown): unknown {
  if (error instanceof Error) {
    // Some driver paths throw a bare { code, errno } object, which GraphQL wraps as thrownValue.
    const details = error as { code?: unknown; thrownValue?: { code?: unknown } };
    const code = details.code ?? details.thrownValue?.code;
    const down =
      error.name === 'ConnectionException' ||
      error.name === 'KnexTimeoutError' ||
      /Connection terminated|Timeout acquiring a connection/.test(error.message) ||
      (typeof code === 'string' && DATABASE_DOWN.test(code));
    if (down) return new UnavailableError('The database is unavailable; try again shortly');
    // Input PostgreSQL refuses to store (a NUL character, a number out of range) is the
    // client's mistake; the statement failed, so nothing was written.
    if (code === '22021' || code === '22P05') return new BadInputError('Text must not contain NUL (\\u0000) characters');
    if (code === '22003') return new BadInputError('A number is out of range');
  }
  return error;
}
