import type { EntityManager } from '@mikro-orm/postgresql';
import { decodeCursor, encodeCursor, pageSize, toConnection, type Connection } from '../../../lib/pagination.js';
import { BadInputError } from '../../../lib/errors.js';
import { OrderSchema, type Order, type OrderStatus } from './entities/Order.js';
import { OrderLineSchema, type OrderLine } from './entities/OrderLine.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isOrderId(id: string): boolean {
  return UUID.test(id);
}

export interface OrderListFilter {
  customerId?: string | null;
  status?: OrderStatus | null;
  productId?: string | null;
}

/**
 * A page of orders, newest first, by keyset on (created_at, id) so a page costs the same at any
 * depth: one SELECT of the page's ids, one COUNT, one load of the entities.
 */
export async function listOrders(em: EntityManager, args: { first?: number | null; after?: string | null; filter: OrderListFilter }): Promise<Connection<Order>> {
  const size = pageSize(args.first);
  const conditions: string[] = [];
  const params: unknown[] = [];
  const when = (value: string | null | undefined, condition: string) => {
    if (!value) return;
    conditions.push(condition);
    params.push(value);
  };
  when(args.filter.customerId, 'o.customer_id = ?');
  when(args.filter.status, 'o.status = ?');
  when(args.filter.productId, 'exists (select 1 from order_line l where l.order_id = o.id and l.product_id = ?)');
  const where = conditions.length > 0 ? `where ${conditions.join(' and ')}` : '';
  const after = decodeCursor('order', args.after, 2);
  let keyset = '';
  const keysetParams: unknown[] = [];
  if (after) {
    const [createdAt, id] = after as [string, string];
    if (Number.isNaN(Date.parse(createdAt)) || !isOrderId(id)) throw new BadInputError('after is not a valid cursor');
    keyset = `${where ? 'and' : 'where'} (o.created_at, o.id) < (?::timestamptz, ?::uuid)`;
    keysetParams.push(createdAt, id);
  }
  const [ids, [count]] = await Promise.all([
    em.execute<{ id: string }[]>(`select o.id from customer_order o ${where} ${keyset} order by o.created_at desc, o.id desc limit ?`, [
      ...params,
      ...keysetParams,
      size + 1,
    ]),
    em.execute<{ count: string }[]>(`select count(*) as count from customer_order o ${where}`, params),
  ]);
  const orders = await findOrdersByIds(em, ids.map((row) => row.id));
  return toConnection(
    orders.filter((order): order is Order => order !== null),
    size,
    Number(count?.count ?? 0),
    (order) => encodeCursor('order', [order.createdAt.toISOString(), order.id]),
  );
}

export async function findOrdersByIds(em: EntityManager, ids: readonly string[]): Promise<(Order | null)[]> {
  const valid = ids.filter(isOrderId);
  const rows = valid.length > 0 ? await em.find(OrderSchema, { id: { $in: valid } }) : [];
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => byId.get(id) ?? null);
}

export async function findLinesByOrderIds(em: EntityManager, orderIds: readonly string[]): Promise<OrderLine[][]> {
  const rows = await em.find(OrderLineSchema, { orderId: { $in: [...orderIds] } }, { orderBy: { orderId: 'asc', position: 'asc' } });
  const byOrder = new Map<string, OrderLine[]>(orderIds.map((id) => [id, []]));
  for (const row of rows) byOrder.get(row.orderId)?.push(row);
  return orderIds.map((id) => byOrder.get(id) ?? []);
}
