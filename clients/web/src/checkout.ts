import type { Api } from './api.js';
import { StorefrontPlaceOrderDocument, type OrderDetailsFragment, type OrderLineInput } from './generated/graphql.js';

/**
 * Places orders so that a retry can never buy twice. Each attempt to order a set of lines gets
 * one idempotency key, made when the attempt starts and sent again by every retry of it: if the
 * first request placed the order but its answer was lost, the retry gets that same order back.
 * The attempt ends when an order comes back; a cart that changed in between is a new attempt.
 */
export class Checkout {
  private attempt: { idempotencyKey: string; lines: OrderLineInput[] } | undefined;

  constructor(private readonly api: Api) {}

  /** True after a failed try, until it succeeds or the cart changes: the next place() is a retry. */
  get isRetry(): boolean {
    return this.attempt !== undefined;
  }

  async place(lines: OrderLineInput[]): Promise<OrderDetailsFragment> {
    if (!this.attempt || JSON.stringify(this.attempt.lines) !== JSON.stringify(lines)) {
      this.attempt = { idempotencyKey: crypto.randomUUID(), lines };
    }
    const { placeOrder } = await this.api.mutate(StorefrontPlaceOrderDocument, { input: this.attempt });
    this.attempt = undefined;
    return placeOrder;
  }
}
