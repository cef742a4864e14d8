import { formatMoney, parseMoney } from '../../../../lib/money.js';
import type { OrderLineResolvers } from '../generated/resolvers.js';

/** What the product subgraph needs to resolve a line's product (null there if it is gone). */
export interface ProductReference {
  __typename: 'Product';
  id: string;
}

export const OrderLine: OrderLineResolvers = {
  product: (line): ProductReference => ({ __typename: 'Product', id: line.productId }),
  lineTotal: (line) => (line.unitPrice === null || line.unitPrice === undefined ? null : formatMoney(parseMoney(line.unitPrice) * BigInt(line.quantity))),
};
