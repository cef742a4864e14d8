import { requireAdmin, requireService } from '../../../../lib/context.js';
import type { MutationResolvers } from '../generated/resolvers.js';
import { cancelShipment, createShipment, deliverShipment, shipShipment } from '../lifecycle.js';

export const Mutation: MutationResolvers = {
  shipShipment: (_, { id, carrier, trackingNumber }, { em, caller }) => {
    requireAdmin(caller);
    return shipShipment(em, id, carrier, trackingNumber);
  },
  deliverShipment: (_, { id }, { em, caller }) => {
    requireAdmin(caller);
    return deliverShipment(em, id);
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
