import type { SagaConfig } from '../../subgraphs/order/src/config.js';

/** The promise a client is given (README, RECOVERY_GRACE_MS): placeOrder answers within about
 *  20 s even when the payment service hangs. */
export const PROMISED_PLACE_ORDER_WAIT_MS = 20_000;

/**
 * The longest placeOrder can keep its client waiting with the payment service hanging, computed
 * from the saga settings rather than timed: every charge attempt runs into the call timeout, the
 * backoff before each retry is at most its ceiling (base × 2^n), and the cancellation then voids
 * the charge with one more call to the same hanging service (the simulator's latency delays only
 * charges, a really hung service would not answer the void either). The product calls (reserve,
 * release) answer at once in this scenario.
 */
export function slowestPlaceOrderMs(saga: Pick<SagaConfig, 'callTimeoutMs' | 'chargeRetries' | 'retryBaseDelayMs'>) {
  const attempts = saga.chargeRetries + 1;
  let backoff = 0;
  for (let retry = 0; retry < saga.chargeRetries; retry += 1) backoff += saga.retryBaseDelayMs * 2 ** retry;
  const charging = attempts * saga.callTimeoutMs + backoff;
  return { attempts, backoff, charging, withVoid: charging + saga.callTimeoutMs };
}
