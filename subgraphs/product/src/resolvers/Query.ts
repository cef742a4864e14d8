import { isProductId } from '../../../../lib/ids.js';
import { PAGE_FIELDS } from '../../../../lib/pagination.js';
import { selectsAny } from '../../../../lib/selection.js';
import type { QueryResolvers } from '../generated/resolvers.js';
import { listProducts } from '../catalog.js';

export const Query: QueryResolvers = {
  product: (_, { id }, { loaders }) => (isProductId(id) ? loaders.product.load(id) : null),
  products: (_, args, { em }, info) => listProducts(em, { ...args, pageSelected: selectsAny(info, PAGE_FIELDS) }),
};
