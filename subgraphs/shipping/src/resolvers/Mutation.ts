import { requireAdmin, requireService } from '../../../../lib/context.js';
import type { MutationResolvers } from '../generated/resolvers.js';
import { cancelShipment, createShipment, deliverShipment, shipShipment } from '../lifecycle.js';

export const Mutation: MutationResolvers = {
  shipShipment: async (_, { id, carrier, trackingNumber }, { em, caller, announceOrderChange }) => {
    requireAdmin(caller);
    const shipment = await shipShipment(em, id, carrier, trackingNumber);
    announceOrderChange(shipment.orderId);
    return shipment;
  },
  deliverShipment: async (_, { id }, { em, caller, announceOrderChange }) => {
    requireAdmin(caller);
    const shipment = await deliverShipment(em, id);
    announceOrderChange(shipment.orderId);
    return shipment;
  },
  createShipment: (_, request, { em, caller }) => {
    requireService(caller);
    return createShipment(em, request);
  },
  cancelShipment: (_, { orderId }, { em, caller }) => {
    requireService(caller);
    return cancelShipment(em, orderId);
  },
};
