import { requireAdmin, requireService } from '../../../../lib/context.js';
import type { ProductContext } from '../context.js';
import { adjustStock, createProduct, updateProduct, type CreateProductInput, type UpdateProductInput } from '../catalog.js';
import { confirmReservation, releaseStock, reserveStock, type RequestedLine } from '../inventory.js';

export const Mutation = {
  createProduct: (_: unknown, { input }: { input: CreateProductInput }, { em, caller }: ProductContext) => {
    requireAdmin(caller);
    return createProduct(em, input);
  },
  updateProduct: (_: unknown, { id, input }: { id: string; input: UpdateProductInput }, { em, caller }: ProductContext) => {
    requireAdmin(caller);
    return updateProduct(em, id, input);
  },
  adjustStock: (_: unknown, { id, delta }: { id: string; delta: number }, { em, caller }: ProductContext) => {
    requireAdmin(caller);
    return adjustStock(em, id, delta);
  },
  reserveStock: (_: unknown, { orderId, lines }: { orderId: string; lines: RequestedLine[] }, { em, caller }: ProductContext) => {
    requireService(caller);
    return reserveStock(em, orderId, lines);
  },
  releaseStock: (_: unknown, { orderId }: { orderId: string }, { em, caller }: ProductContext) => {
    requireService(caller);
    return releaseStock(em, orderId);
  },
  confirmReservation: (_: unknown, { orderId }: { orderId: string }, { em, caller }: ProductContext) => {
    requireService(caller);
    return confirmReservation(em, orderId);
  },
};
