import { SubgraphCallError, withRetries } from '../../lib/subgraph-client.js';
import type { SagaConfig } from '../../subgraphs/order/src/config.js';
import { createPeers } from '../../subgraphs/order/src/saga/peers.js';
import { recordingWaits } from './recorded-waits.js';

/** The promise a client is given (docs/configuration.md, RECOVERY_GRACE_MS): placeOrder answers within about
 *  20 s even when the payment service hangs. */
export const PROMISED_PLACE_ORDER_WAIT_MS = 20_000;

/**
 * The longest placeOrder can keep its client waiting with the payment service hanging, found by
 * running the saga's own retry loop (withRetries, as driveOrder charges) against a charge that
 * always times out: the attempts are counted and the backoff waits it asks for recorded, with the
 * jitter at its top. Every attempt costs the call timeout, and the cancellation then voids the
 * charge with one more call to the same hanging service (the simulator's latency delays only
 * charges, a really hung service would not answer the void either). The product calls (reserve,
 * release) answer at once in this scenario.
 */
export async function slowestPlaceOrderMs(saga: SagaConfig) {
  let attempts = 0;
  const hanging = () => {
    attempts += 1;
    return Promise.reject(new SubgraphCallError(`payment service did not answer within ${saga.callTimeoutMs} ms`, true));
  };
  const { waits } = await recordingWaits(() => withRetries(createPeers(saga).retryPolicy, hanging), 1);
  const backoff = waits.reduce((sum, wait) => sum + wait, 0);
  const charging = attempts * saga.callTimeoutMs + backoff;
  return { attempts, backoff, charging, withVoid: charging + saga.callTimeoutMs };
}
