import type { ShipmentResolvers } from '../generated/resolvers.js';
import { shipmentVisibleTo } from '../shipments.js';

export const Shipment: ShipmentResolvers = {
  // Batched like Order.shipment, and with the same rule: a customer only resolves their own shipments.
  __resolveReference: async ({ id }, { loaders, caller }) => shipmentVisibleTo(caller, await loaders.shipmentById.load(id)),
};
