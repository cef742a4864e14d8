import type { ProductContext } from '../context.js';
import { isProductId, listProducts, type ProductFilter } from '../catalog.js';

export const Query = {
  product: (_: unknown, { id }: { id: string }, { loaders }: ProductContext) => (isProductId(id) ? loaders.product.load(id) : null),
  products: (_: unknown, args: { first?: number | null; after?: string | null; filter?: ProductFilter | null }, { em }: ProductContext) =>
    listProducts(em, args),
};
