import type { ApolloServerPlugin } from '@apollo/server';
import type { PublicErrorCode } from '../../lib/errors.js';

/**
 * The order subgraph counts each customer's placeOrder calls in its database, one count for every
 * gateway and order replica (subgraphs/order/src/placeOrderRateLimit.ts), and refuses a call over
 * the limit with RATE_LIMITED and retryAfterSeconds. Here that refusal becomes what HTTP clients
 * and proxies understand: status 429 with a Retry-After header.
 */
export function placeOrderRateLimitPlugin<TContext extends object>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, response }) {
          const refusal = errors.find((error) => error.extensions?.code === ('RATE_LIMITED' satisfies PublicErrorCode));
          const retryAfter = refusal?.extensions?.retryAfterSeconds;
          if (typeof retryAfter !== 'number') return;
          response.http.status = 429;
          response.http.headers.set('retry-after', String(retryAfter));
        },
      };
    },
  };
}
