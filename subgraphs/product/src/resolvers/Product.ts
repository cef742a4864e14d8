import type { ProductResolvers } from '../generated/resolvers.js';

export const Product: ProductResolvers = {
  // The gateway sends one representation per reference; the loader turns a page of them into one SELECT.
  __resolveReference: ({ id }, { loaders }) => loaders.product.load(id),
};
