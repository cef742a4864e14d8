import { canSeeCustomerData, requireAdmin, requireCustomer } from '../../../../lib/context.js';
import { canonicalUuid, isUuid } from '../../../../lib/ids.js';
import { PAGE_FIELDS } from '../../../../lib/pagination.js';
import { selectsAny } from '../../../../lib/selection.js';
import type { QueryResolvers } from '../generated/resolvers.js';
import { listOrders } from '../orderHistory.js';

export const Query: QueryResolvers = {
  order: async (_, { id }, { caller, loaders }) => {
    requireCustomer(caller);
    const order = isUuid(id) ? await loaders.order.load(canonicalUuid(id)) : null;
    // Someone else's order looks exactly like a missing one.
    return order && canSeeCustomerData(caller, order.customerId) ? order : null;
  },
  myOrders: (_, { status, productId, placedAt, ...page }, { caller, em }, info) =>
    listOrders(em, { ...page, filter: { customerId: requireCustomer(caller), status, productId, placedAt }, pageSelected: selectsAny(info, PAGE_FIELDS) }),
  orders: (_, args, { caller, em }, info) => {
    requireAdmin(caller);
    return listOrders(em, { ...args, filter: args.filter ?? {}, pageSelected: selectsAny(info, PAGE_FIELDS) });
  },
};
