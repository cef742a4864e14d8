import type { ProductContext } from '../context.js';

export const Product = {
  // The gateway sends one representation per reference; the loader turns a page of them into one SELECT.
  __resolveReference: ({ id }: { id: string }, { loaders }: ProductContext) => loaders.product.load(id),
};
