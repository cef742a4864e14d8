import { formatMoney, parseMoney } from '../../../../lib/money.js';
import type { OrderLine as OrderLineRow } from '../entities/OrderLine.js';

export const OrderLine = {
  // A reference the gateway resolves in the product subgraph (null there if the product is gone).
  product: (line: OrderLineRow) => ({ __typename: 'Product', id: line.productId }),
  lineTotal: (line: OrderLineRow) => (line.unitPrice === null || line.unitPrice === undefined ? null : formatMoney(parseMoney(line.unitPrice) * BigInt(line.quantity))),
};
