import { executeQueryPlan, type GraphQLDataSource, type ServiceMap } from '@apollo/gateway';
import type { QueryPlan } from '@apollo/query-planner';
import { GraphQLError, getOperationAST, type DocumentNode, type FormattedExecutionResult, type GraphQLFormattedError } from 'graphql';
import type { Counter, Gauge } from 'prom-client';
import { publicError, type ErrorFormatter } from '../../../lib/errors.js';
import type { Logger } from '../../../lib/log.js';
import { createPushStream } from '../../../lib/push-stream.js';
import type { OperationChecker, TokenCounter } from '../limits.js';
import type { SupergraphState } from './supergraph-state.js';
import type { Upstreams } from './upstream.js';

export interface SubscriptionRequest {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

/** Who subscribes, as the gateway verified them when the subscription started. */
export interface Subscriber {
  authorization?: string;
  customerId: string | null;
  /** When the token expires (ms since the epoch): its subscriptions end then with UNAUTHENTICATED. */
  expiresAt?: number;
}

export interface SubscriptionSettings {
  /** Open subscriptions one customer may hold on this gateway, across connections. */
  maxPerCustomer: number;
  /** How long the subgraph fetches of one event may take. */
  eventTimeoutMs: number;
}

export interface SubscriptionMetrics {
  open: Gauge<'transport'>;
  events: Counter<'transport'>;
  slowReaders: Counter<'transport'>;
}

export type Started =
  | { stream: AsyncIterableIterator<FormattedExecutionResult> & { return(): Promise<IteratorResult<FormattedExecutionResult>> }; document: DocumentNode }
  | { refusal: FormattedExecutionResult };

export interface SubscriptionEngine {
  start(request: SubscriptionRequest, subscriber: Subscriber, meta: { requestId: string; logger: Logger; transport: string }): Promise<Started>;
  /** Completes every open subscription (a clean end, as on SIGTERM). */
  completeAll(): void;
  readonly openCount: number;
}

export interface EngineDeps {
  state: () => SupergraphState;
  upstreams: Upstreams;
  urlOf: (subgraph: string) => string;
  checkLimits: OperationChecker;
  countTokens: TokenCounter;
  formatError: ErrorFormatter;
  settings: SubscriptionSettings;
  metrics: SubscriptionMetrics;
}

/** The name the primary fetch is given in each event's plan: it "fetches" the event itself. */
const EVENT_SOURCE = '__subscription_event__';
/** setTimeout's longest delay; a token that lives longer is checked again then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function refusal(format: ErrorFormatter, error: GraphQLError): { refusal: FormattedExecutionResult } {
  return { refusal: { errors: [format(error.toJSON(), error)] } };
}

/**
 * Subscriptions through the supergraph. Apollo's query planner plans each one: its root field's
 * subgraph is subscribed to over WebSocket (upstream.ts) and, for every event that subgraph sends,
 * the rest of the plan (entity fetches to the other subgraphs) runs through @apollo/gateway's own
 * executeQueryPlan, with the event standing in for the primary fetch's answer. So an event is
 * resolved and shaped exactly as the same selection in a query would be, fields from every
 * subgraph included. An event whose result equals the last one sent is not sent again.
 */
/** The entity an event or result is about (its root field's id): a newer one about the same
 *  entity replaces an older one still waiting. Anything else is its own key. */
function keyOf(result: FormattedExecutionResult): unknown {
  const root = Object.values(result.data ?? {})[0] as { id?: unknown } | null | undefined;
  return root && typeof root === 'object' && root.id !== undefined ? `id:${String(root.id)}` : result;
}

const TOO_SLOW: FormattedExecutionResult = {
  errors: [{ message: 'Events came faster than this client read them; subscribe again for the current state', extensions: { code: 'RATE_LIMITED' } }],
};

export function createSubscriptionEngine(deps: EngineDeps): SubscriptionEngine {
  const active = new Set<() => void>();
  const perCustomer = new Map<string, number>();
  const format = (errors: readonly GraphQLError[] | undefined): GraphQLFormattedError[] | undefined =>
    errors && errors.length > 0 ? errors.map((error) => deps.formatError(error.toJSON(), error)) : undefined;

  async function start(request: SubscriptionRequest, subscriber: Subscriber, meta: { requestId: string; logger: Logger; transport: string }): Promise<Started> {
    const { query, operationName } = request;
    const variables = (request.variables ?? {}) as Record<string, unknown>;
    if (typeof query !== 'string' || query.trim() === '') return refusal(deps.formatError, publicError('BAD_REQUEST', 'The subscribe message must hold a query'));
    if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return refusal(deps.formatError, publicError('BAD_REQUEST', 'operationName must be a string'));
    if (typeof variables !== 'object' || Array.isArray(variables)) return refusal(deps.formatError, publicError('BAD_REQUEST', 'variables must be an object'));
    try {
      await deps.countTokens({ query });
    } catch (error) {
      return refusal(deps.formatError, error as GraphQLError);
    }
    const state = deps.state();
    const parsed = state.document(query);
    if ('parseError' in parsed) return refusal(deps.formatError, publicError('GRAPHQL_PARSE_FAILED', parsed.parseError));
    if ('validationError' in parsed) return refusal(deps.formatError, publicError('GRAPHQL_VALIDATION_FAILED', parsed.validationError));
    const { document } = parsed;
    const name = operationName ?? undefined;
    const operation = getOperationAST(document, name);
    if (!operation) return refusal(deps.formatError, publicError('OPERATION_RESOLUTION_FAILURE', name ? `No operation named "${name}"` : 'Name the operation to run: the document holds several'));
    if (operation.operation !== 'subscription') {
      return refusal(deps.formatError, publicError('BAD_REQUEST', 'Only subscriptions are served here: send queries and mutations as HTTP requests to /graphql'));
    }
    const overLimit = deps.checkLimits(state.schema, document, operation, variables);
    if (overLimit) return refusal(deps.formatError, overLimit);
    if (subscriber.expiresAt !== undefined && subscriber.expiresAt <= Date.now()) return refusal(deps.formatError, publicError('UNAUTHENTICATED', 'The token is invalid or expired'));
    const customer = subscriber.customerId;
    if (customer !== null && (perCustomer.get(customer) ?? 0) >= deps.settings.maxPerCustomer) {
      return refusal(deps.formatError, publicError('RATE_LIMITED', `A customer may hold ${deps.settings.maxPerCustomer} open subscriptions on this gateway; end one first`));
    }
    const plan = state.plan(document, query, name);
    const upstreamVariables = Object.fromEntries((plan.primary.variableUsages ?? []).filter((key) => key in variables).map((key) => [key, variables[key]]));

    // From here the subscription holds a place: every way it ends gives it back (release).
    if (customer !== null) perCustomer.set(customer, (perCustomer.get(customer) ?? 0) + 1);
    deps.metrics.open.inc({ transport: meta.transport });
    const started = performance.now();
    let events = 0;
    let lastSent: string | undefined;
    // Events waiting while one is resolved, by the entity they are about: a newer event about the
    // same order replaces an older one (each carries its whole state), events about different
    // orders (myOrderUpdates) each keep their place.
    const pending = new Map<unknown, FormattedExecutionResult>();
    let resolving = false;
    let expiry: NodeJS.Timeout | undefined;
    let unsubscribe = () => {};
    let endReason = 'client';
    // Set once the stream is over, by either side: no event is resolved after that.
    let ended = false;
    const release = () => {
      active.delete(complete);
      clearTimeout(expiry);
      unsubscribe();
      if (customer !== null) {
        const left = (perCustomer.get(customer) ?? 1) - 1;
        if (left > 0) perCustomer.set(customer, left);
        else perCustomer.delete(customer);
      }
      deps.metrics.open.dec({ transport: meta.transport });
      meta.logger.info({ events, durationMs: Math.round(performance.now() - started), ended: endReason }, 'subscription ended');
    };
    // A reader that lets more than a few orders' news pile up is too slow to follow: it is told so
    // and the stream ends, rather than one order's change being dropped without a word.
    const { stream, push, end } = createPushStream<FormattedExecutionResult>(release, {
      maxQueued: 4,
      keyOf: (result) => keyOf(result),
      onOverflow: () => {
        deps.metrics.slowReaders.inc({ transport: meta.transport });
        finish('slow reader', TOO_SLOW);
      },
    });
    const finish = (reason: string, last?: FormattedExecutionResult) => {
      if (ended) return;
      ended = true;
      endReason = reason;
      if (last) push(last);
      end();
    };
    const complete = () => finish('gateway stopping');
    active.add(complete);

    const send = (result: FormattedExecutionResult) => {
      const text = JSON.stringify(result);
      if (text === lastSent) return;
      lastSent = text;
      events += 1;
      deps.metrics.events.inc({ transport: meta.transport });
      push(result);
    };
    const resolveEvent = async (event: FormattedExecutionResult): Promise<FormattedExecutionResult> => {
      const eventSource: GraphQLDataSource = { process: async () => event as never };
      const serviceMap: ServiceMap = { ...state.serviceMap, [EVENT_SOURCE]: eventSource };
      const primary = { ...plan.primary, serviceName: EVENT_SOURCE };
      const queryPlan: QueryPlan = { kind: 'QueryPlan', node: plan.rest ? { kind: 'Sequence', nodes: [primary, plan.rest] } : primary };
      const context = { authorization: subscriber.authorization, requestId: meta.requestId, deadline: performance.now() + deps.settings.eventTimeoutMs, logger: meta.logger };
      const requestContext = { request: { query, variables, operationName: name }, context, logger: meta.logger, metrics: {} };
      const result = await executeQueryPlan(queryPlan, serviceMap, requestContext as never, plan.operationContext, state.supergraphSchema, state.apiSchema);
      return { data: result.data as never, ...(result.errors ? { errors: format(result.errors) } : {}) };
    };
    // One event at a time, in the order they came.
    const onEvent = async (event: FormattedExecutionResult) => {
      const key = keyOf(event);
      pending.delete(key);
      pending.set(key, event);
      if (resolving) return;
      resolving = true;
      try {
        while (pending.size > 0 && !ended) {
          const [key, next] = pending.entries().next().value!;
          pending.delete(key);
          send(await resolveEvent(next));
        }
      } catch (error) {
        meta.logger.error({ err: error }, 'a subscription event could not be resolved');
        finish('internal error', { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      } finally {
        resolving = false;
      }
    };

    unsubscribe = deps.upstreams.subscribe(
      deps.urlOf(plan.primary.serviceName),
      { query: plan.primary.operation, variables: upstreamVariables, operationName: plan.primary.operationName, authorization: subscriber.authorization, requestId: meta.requestId },
      {
        next: (result) => {
          // No data at all: the subgraph refused the subscription (not found, not signed in).
          if (result.data === null || result.data === undefined) {
            const errors = (result.errors ?? []).map((error) => {
              const { code } = (error.extensions ?? {}) as { code?: unknown };
              const wrapped = new GraphQLError(error.message, { extensions: { code, serviceName: plan.primary.serviceName } });
              return deps.formatError(wrapped.toJSON(), wrapped);
            });
            return finish('refused by the subgraph', { errors });
          }
          void onEvent(result as FormattedExecutionResult);
        },
        error: (reason) => {
          meta.logger.warn({ err: reason instanceof Error ? reason : undefined, subgraph: plan.primary.serviceName }, 'a subgraph subscription failed');
          finish('subgraph unavailable', {
            errors: [{ message: `The ${plan.primary.serviceName} service is unavailable; subscribe again shortly`, extensions: { code: 'SERVICE_UNAVAILABLE' } }],
          });
        },
        complete: () => {
          finish('completed by the subgraph');
        },
      },
    );
    if (subscriber.expiresAt !== undefined) {
      const expire = () => {
        const left = subscriber.expiresAt! - Date.now();
        if (left > 0) return void (expiry = setTimeout(expire, Math.min(left, MAX_TIMER_MS)));
        finish('token expired', { errors: [{ message: 'The token expired; subscribe again with a new one', extensions: { code: 'UNAUTHENTICATED' } }] });
      };
      expiry = setTimeout(expire, Math.min(subscriber.expiresAt - Date.now(), MAX_TIMER_MS));
    }
    meta.logger.info({ operation: name ?? 'anonymous', subgraph: plan.primary.serviceName, transport: meta.transport }, 'subscription started');
    return { stream: wrapEnded(stream, () => (ended = true)), document };
  }

  return {
    start,
    completeAll() {
      for (const complete of [...active]) complete();
    },
    get openCount() {
      return active.size;
    },
  };
}

/** Marks the subscription ended as soon as its consumer stops, so no more events are resolved. */
function wrapEnded<T extends { return(): Promise<IteratorResult<FormattedExecutionResult>> }>(stream: T, onEnd: () => void): T {
  const original = stream.return.bind(stream);
  stream.return = () => {
    onEnd();
    return original();
  };
  return stream;
}
