import { canonicalUuid } from '../../../../lib/ids.js';
import type { ShippingContext } from '../context.js';
import type { Shipment } from '../entities/Shipment.js';
import type { OrderResolvers } from '../generated/resolvers.js';
import { shipmentVisibleTo } from '../shipments.js';

/** The order subgraph owns orders; this one only knows an order by id and adds its shipment. */
export interface OrderReference {
  id: string;
}

async function shipmentOf({ id }: OrderReference, { loaders, caller }: ShippingContext): Promise<Shipment | null> {
  // shipment and shippingStatus share the loader, so a page of orders costs one SELECT for both.
  return shipmentVisibleTo(caller, await loaders.shipmentByOrderId.load(id));
}

export const Order: OrderResolvers = {
  __resolveReference: ({ id }) => ({ id: canonicalUuid(id) }),
  shipment: (order, _args, context) => shipmentOf(order, context),
  shippingStatus: async (order, _args, context) => (await shipmentOf(order, context))?.status ?? null,
};
