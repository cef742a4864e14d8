import type { EntityManager } from '@mikro-orm/postgresql';
import { RateLimitedError } from '../../../lib/errors.js';

export interface PlaceOrderRateLimit {
  /** placeOrder calls one customer may make per window. */
  points: number;
  windowSeconds: number;
}

export const DEFAULT_PLACE_ORDER_RATE_LIMIT: PlaceOrderRateLimit = { points: 60, windowSeconds: 60 };

/**
 * Counts one placeOrder call of this customer in the order database and refuses it over the
 * limit. The count is one upsert on the customer's row, which PostgreSQL serialises, so every
 * order replica behind every gateway shares one exact count. The window is fixed: it starts at
 * the first call after the previous one ended, as rate-limiter-flexible's were. When the database
 * is down the call fails (SERVICE_UNAVAILABLE), which costs nothing: placeOrder needs it anyway.
 */
export async function countPlaceOrderCall(em: EntityManager, customerId: string, limit: PlaceOrderRateLimit): Promise<void> {
  const counted = countedCall(customerId, limit);
  const [count] = await em.execute<CallCount[]>(`with ${counted.sql} select used, seconds_left from counted`, counted.params);
  refuseOverLimit(count!, limit);
}

export interface CallCount {
  used: number;
  seconds_left: number;
}

/** The count as a WITH query named `counted` (used, seconds_left), so that placeOrder can count a
 *  call in the same statement that records its order. */
export function countedCall(customerId: string, limit: PlaceOrderRateLimit): { sql: string; params: unknown[] } {
  return {
    sql: `counted as (
      insert into place_order_allowance as allowance (customer_id, used, window_ends_at)
      values (?, 1, now() + ? * interval '1 second')
      on conflict (customer_id) do update set
        used = case when allowance.window_ends_at <= now() then 1 else allowance.used + 1 end,
        window_ends_at = case when allowance.window_ends_at <= now() then excluded.window_ends_at else allowance.window_ends_at end
      returning used, ceil(extract(epoch from window_ends_at - now()))::int as seconds_left)`,
    params: [customerId, limit.windowSeconds],
  };
}

export function refuseOverLimit(count: CallCount, limit: PlaceOrderRateLimit): void {
  if (count.used > limit.points) throw new RateLimitedError(Math.max(1, count.seconds_left));
}
