import { setTimeout as sleep } from 'node:timers/promises';
import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '../../../lib/auth.js';
import type { Shipment } from './entities/Shipment.js';
import { findShipmentsByIds, findShipmentsByOrderIds } from './shipments.js';
import type { AnnounceOrderChange } from './orderAnnouncer.js';

export interface ShippingContext {
  em: EntityManager;
  caller: Caller;
  requestId: string;
  /** Tells the order subgraph a shipment moved (for its subscribers). */
  announceOrderChange: (orderId: string) => void;
  loaders: {
    shipmentById: DataLoader<string, Shipment | null>;
    shipmentByOrderId: DataLoader<string, Shipment | null>;
  };
}

/** Built for every request: its own EntityManager and DataLoaders, never shared between users. */
export function shippingContext(em: EntityManager, caller: Caller, requestId: string, announce: AnnounceOrderChange, slowness: { latencyMs?: number; holdShipmentLookups?: () => Promise<void> } = {}): ShippingContext {
  return {
    em,
    caller,
    requestId,
    announceOrderChange: (orderId) => announce(orderId, requestId),
    loaders: {
      shipmentById: new DataLoader((ids) => findShipmentsByIds(em, ids), { maxBatchSize: 1000 }),
      shipmentByOrderId: new DataLoader(
        async (orderIds) => {
          if (slowness.latencyMs) await sleep(slowness.latencyMs);
          await slowness.holdShipmentLookups?.();
          return findShipmentsByOrderIds(em, orderIds);
        },
        { maxBatchSize: 1000 },
      ),
    },
  };
}
