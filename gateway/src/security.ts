import type { ApolloServerPlugin } from '@apollo/server';
import { isProduction, readGatewaySecret } from '../../lib/auth.js';
import { readBoolean, readNumber, type Env } from '../../lib/config.js';
import { publicError, type ErrorFormatter } from '../../lib/errors.js';
import { refuseNulCharactersPlugin } from '../../lib/input-guard.js';
import { DEFAULT_LIMITS, tokenCounter, limitError, operationLimitsPlugin, type OperationLimits } from './limits.js';
import { placeOrderRateLimitPlugin } from './rate-limit.js';

/** The gateway's protections against hostile clients, on by default. */
export interface GatewaySecurity {
  limits: OperationLimits;
  /** Longest a client request may take; subgraph calls are cut off at this deadline. */
  requestTimeoutMs: number;
  /** Schema introspection; off in production unless INTROSPECTION=true. */
  introspection: boolean;
  /** Sent to every subgraph when set, for subgraphs that answer only the gateway. */
  gatewaySecret?: string;
}

export const DEFAULT_SECURITY: GatewaySecurity = {
  limits: DEFAULT_LIMITS,
  // Above the ~20 s a placeOrder may take with the payment service hanging.
  requestTimeoutMs: 30_000,
  introspection: true,
};

export function readGatewaySecurity(env: Env): GatewaySecurity {
  const limit = (name: string, fallback: number) => readNumber(env, name, fallback, { min: 1, max: 1_000_000, integer: true });
  return {
    limits: {
      maxDepth: limit('MAX_DEPTH', DEFAULT_LIMITS.maxDepth),
      maxIntrospectionDepth: limit('MAX_INTROSPECTION_DEPTH', DEFAULT_LIMITS.maxIntrospectionDepth),
      maxAliases: limit('MAX_ALIASES', DEFAULT_LIMITS.maxAliases),
      maxRootFields: limit('MAX_ROOT_FIELDS', DEFAULT_LIMITS.maxRootFields),
      maxDirectives: limit('MAX_DIRECTIVES', DEFAULT_LIMITS.maxDirectives),
      maxTokens: limit('MAX_TOKENS', DEFAULT_LIMITS.maxTokens),
      maxCost: limit('MAX_COST', DEFAULT_LIMITS.maxCost),
      maxBatch: limit('MAX_BATCH', DEFAULT_LIMITS.maxBatch),
    },
    requestTimeoutMs: readNumber(env, 'GATEWAY_REQUEST_TIMEOUT_MS', DEFAULT_SECURITY.requestTimeoutMs, { min: 100, max: 600_000, integer: true }),
    introspection: readBoolean(env, 'INTROSPECTION', !isProduction(env)),
    gatewaySecret: readGatewaySecret(env),
  };
}

export function withSecurityDefaults(security: Partial<GatewaySecurity> = {}): GatewaySecurity {
  return { ...DEFAULT_SECURITY, ...security, limits: { ...DEFAULT_LIMITS, ...security.limits } };
}

/** Checks made on the raw request before Apollo parses anything: batch size and token count. */
export function requestBodyChecker(limits: OperationLimits): (body: unknown) => Promise<void> {
  const countTokens = tokenCounter(limits);
  return async (body) => {
    if (Array.isArray(body) && body.length > limits.maxBatch) {
      throw limitError('BATCH_LIMIT_EXCEEDED', `A batch may hold at most ${limits.maxBatch} operations; this one has ${body.length}`);
    }
    await countTokens(body);
  };
}

/** Turns a response whose deadline passed (its subgraph calls were cut off) into one clear error.
 *  Apollo formats errors before this hook, so the error goes through the formatter here. */
function requestTimeoutPlugin<TContext extends { deadline: number }>(timeoutMs: number, format: ErrorFormatter): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (performance.now() < contextValue.deadline || response.body.kind !== 'single') return;
          const message = `The request took longer than ${timeoutMs} ms and was stopped`;
          const error = publicError('REQUEST_TIMEOUT', message);
          response.body.singleResult.errors = [format(error.toJSON(), error)];
          response.http.status = 504;
        },
      };
    },
  };
}

export function securityPlugins<TContext extends { customerId: string | null; deadline: number }>(
  security: GatewaySecurity,
  format: ErrorFormatter,
): ApolloServerPlugin<TContext>[] {
  return [
    operationLimitsPlugin(security.limits) as ApolloServerPlugin<TContext>,
    refuseNulCharactersPlugin() as ApolloServerPlugin<TContext>,
    placeOrderRateLimitPlugin<TContext>(),
    requestTimeoutPlugin<TContext>(security.requestTimeoutMs, format),
  ];
}
