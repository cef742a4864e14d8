import type { QueryResolvers } from '../generated/resolvers.js';
import { isProductId } from '../../../../lib/ids.js';
import { listProducts } from '../catalog.js';

export const Query: QueryResolvers = {
  product: (_, { id }, { loaders }) => (isProductId(id) ? loaders.product.load(id) : null),
  products: (_, args, { em }) => listProducts(em, args),
};
