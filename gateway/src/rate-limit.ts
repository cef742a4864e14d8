import type { ApolloServerPlugin } from '@apollo/server';
import { publicError } from '../../lib/errors.js';
import { rootFieldNames } from './limits.js';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

export interface PlaceOrderRateLimit {
  /** Orders one customer may place per window. */
  points: number;
  windowSeconds: number;
}

export const DEFAULT_PLACE_ORDER_RATE_LIMIT: PlaceOrderRateLimit = { points: 60, windowSeconds: 60 };

/**
 * Caps placeOrder per customer at the gateway. The counters live in this process: with several
 * gateway replicas each enforces the limit on its own share of traffic, so a deployment that
 * needs one global limit backs rate-limiter-flexible with Redis (RateLimiterRedis) instead.
 */
export function placeOrderRateLimitPlugin<TContext extends { customerId: string | null }>(limit: PlaceOrderRateLimit): ApolloServerPlugin<TContext> {
  const limiter = new RateLimiterMemory({ points: limit.points, duration: limit.windowSeconds });
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, contextValue }) {
          if (operation?.operation !== 'mutation' || contextValue.customerId === null) return;
          // Counted through fragments too: `... on Mutation { a: placeOrder b: placeOrder }` pays for two.
          const placements = rootFieldNames(document, operation).filter((name) => name === 'placeOrder').length;
          if (placements === 0) return;
          try {
            await limiter.consume(contextValue.customerId, placements);
          } catch (rejection) {
            if (!(rejection instanceof RateLimiterRes)) throw rejection;
            const retryAfter = Math.ceil(rejection.msBeforeNext / 1000);
            // Apollo Server reads http.headers as a Map; graphql-yoga (a bench-only dependency)
            // declares it a plain record for every GraphQLError, hence the cast.
            const http = { status: 429, headers: new Map([['retry-after', String(retryAfter)]]) } as unknown as { status: number };
            throw publicError('RATE_LIMITED', `Too many orders: try again in ${retryAfter} s`, { retryAfterSeconds: retryAfter, http });
          }
        },
      };
    },
  };
}
