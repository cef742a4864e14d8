import { createSubgraphClient, withRetries, type SubgraphCall } from '../../../lib/subgraph-client.js';
import type { Logger } from '../../../lib/log.js';
import type { ShippingConfig } from './config.js';

const ANNOUNCE = 'mutation AnnounceOrderChange($orderId: ID!) { announceOrderChange(orderId: $orderId) }';

export type AnnounceOrderChange = (orderId: string, requestId: string) => void;

/**
 * Tells the order subgraph that an order's shipment moved, so whoever subscribes to the order hears
 * it at once. Off the mutation's path, with retries: the shipment is already committed, and a
 * subscriber who misses this announcement (the order subgraph away for longer) still gets the
 * current state when its stream is resumed, since a resumed stream starts with it.
 */
export function createOrderAnnouncer(config: ShippingConfig, logger: Logger): AnnounceOrderChange {
  let client: { url: string; call: SubgraphCall } | undefined;
  const callFor = (url: string) => {
    if (client?.url !== url) client = { url, call: createSubgraphClient({ name: 'order service', url, serviceCredential: config.serviceCredential, timeoutMs: 4_000 }) };
    return client.call;
  };
  return (orderId, requestId) => {
    const url = config.orderUrl;
    if (!url) return;
    const call = callFor(url);
    void withRetries({ retries: 3, baseDelayMs: 200 }, () => call(ANNOUNCE, { orderId }, requestId)).catch((error: unknown) =>
      logger.warn({ err: error, orderId, requestId }, 'the order service was not told of the shipment change; its subscribers see it when their streams resume'),
    );
  };
}
