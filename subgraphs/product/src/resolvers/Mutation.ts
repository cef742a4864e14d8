import { requireAdmin, requireService } from '../../../../lib/context.js';
import { canonicalUuid } from '../../../../lib/ids.js';
import type { MutationResolvers } from '../generated/resolvers.js';
import { adjustStock, createProduct, updateProduct } from '../catalog.js';
import { confirmReservations } from '../confirmBatch.js';
import { confirmReservation, releaseStock, reserveStock } from '../inventory.js';

// Reservations are keyed by the order's id: an upper-case UUID names the same order (and the
// same reservation) as its lower-case form, as in the order and payment subgraphs.
export const Mutation: MutationResolvers = {
  createProduct: (_, { input }, { em, caller }) => {
    requireAdmin(caller);
    return createProduct(em, input);
  },
  updateProduct: (_, { id, input }, { em, caller }) => {
    requireAdmin(caller);
    return updateProduct(em, id, input);
  },
  adjustStock: (_, { id, delta }, { em, caller }) => {
    requireAdmin(caller);
    return adjustStock(em, id, delta);
  },
  reserveStock: (_, { orderId, lines }, { em, caller }) => {
    requireService(caller);
    return reserveStock(em, canonicalUuid(orderId), lines);
  },
  releaseStock: (_, { orderId }, { em, caller }) => {
    requireService(caller);
    return releaseStock(em, canonicalUuid(orderId));
  },
  confirmReservation: (_, { orderId }, { em, caller }) => {
    requireService(caller);
    return confirmReservation(em, canonicalUuid(orderId));
  },
  confirmReservations: (_, { orderIds }, { em, caller }) => {
    requireService(caller);
    return confirmReservations(em, orderIds.map(canonicalUuid));
  },
};
