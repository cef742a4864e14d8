import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  boundedCountQuery,
  decodeCursor,
  encodeCursor,
  lazyPage,
  pageSize,
  toBoundedCount,
  toConnection,
  type BoundedCount,
  type LazyPage,
} from '../../../lib/pagination.js';
import { BadInputError } from '../../../lib/errors.js';
import { isUuid } from '../../../lib/ids.js';
import type { Order, OrderStatus } from './entities/Order.js';
import { ORDER_COLUMNS, toOrder, type OrderRow } from './orders.js';

export interface OrderListFilter {
  customerId?: string | null;
  status?: OrderStatus | null;
  productId?: string | null;
  placedAt?: { from?: Date | string | null; to?: Date | string | null } | null;
}

export interface OrderListSort {
  field?: 'PLACED_AT' | 'TOTAL' | null;
  direction?: 'ASC' | 'DESC' | null;
}

/** A connection that reads only what a client selects (GraphQL calls a function-valued field):
 *  the page for `edges`/`pageInfo`, a COUNT over the whole history for `totalCount`, and for
 *  `count(limit:)` one that stops at the limit, so an admin page's count costs O(limit), not
 *  O(history). A request for a count alone reads no order row. */
export type OrderConnection = LazyPage<Order> & {
  totalCount: () => Promise<number>;
  count: (args: { limit?: number | null }) => Promise<BoundedCount>;
};

/**
 * Where each filter and sort key is read. A product filter reads the order's lines, which carry
 * copies of the customer, placed time and total, so that one index on order_line both finds the
 * product's orders and hands them over in sort order: joining the lines to the orders' own sort
 * index would leave PostgreSQL to sort every order of the product before the page's LIMIT.
 */
const SOURCES = {
  orders: { from: 'customer_order o', id: 'o.id', customer: 'o.customer_id', placed: 'o.created_at', total: 'coalesce(o.total_amount, 0)' },
  lines: {
    from: 'order_line l join customer_order o on o.id = l.order_id',
    id: 'l.order_id',
    customer: 'l.customer_id',
    placed: 'l.placed_at',
    total: 'coalesce(l.order_total, 0)',
  },
};

/**
 * A page of orders by keyset on (sort value, id), so a page costs the same at any depth and
 * orders with equal values page in a stable order: one SELECT of the page's rows when `edges` or
 * `pageInfo` is asked for, and a COUNT only if totalCount (or count) is. Every filter and sort is served by an index (migration
 * Migration20261204010000); a cursor carries a fingerprint of the sort and filter it was made
 * under, so it cannot silently continue a different list.
 */
export async function listOrders(
  em: EntityManager,
  args: { first?: number | null; after?: string | null; filter: OrderListFilter; sort?: OrderListSort | null; pageSelected?: boolean },
): Promise<OrderConnection> {
  const size = pageSize(args.first);
  const field = args.sort?.field ?? 'PLACED_AT';
  const direction = args.sort?.direction ?? 'DESC';
  const { filter } = args;
  const from = instant(filter.placedAt?.from, 'placedAt.from');
  const to = instant(filter.placedAt?.to, 'placedAt.to');
  if (from && to && from > to) throw new BadInputError('placedAt.from must not be later than placedAt.to');
  const source = filter.productId ? SOURCES.lines : SOURCES.orders;
  const conditions: string[] = [];
  const params: unknown[] = [];
  const when = (value: unknown, condition: string) => {
    if (value === null || value === undefined || value === '') return;
    conditions.push(condition);
    params.push(value);
  };
  when(filter.customerId, `${source.customer} = ?`);
  when(filter.status, 'o.status = ?');
  when(filter.productId, 'l.product_id = ?');
  when(from?.toISOString(), `${source.placed} >= ?::timestamptz`);
  when(to?.toISOString(), `${source.placed} < ?::timestamptz`);
  const fingerprint = fingerprintOf([field, direction, filter.customerId, filter.status, filter.productId, from?.toISOString(), to?.toISOString()]);
  const key = field === 'TOTAL' ? { column: source.total, cast: 'numeric' } : { column: source.placed, cast: 'timestamptz' };
  const keyset: string[] = [];
  const keysetParams: unknown[] = [];
  const after = decodeCursor('order', args.after, 3);
  if (after) {
    const [madeUnder, value, id] = after as [string, string, string];
    if (madeUnder !== fingerprint) throw new BadInputError('after was made for another sort or filter; start again without it');
    if (!isUuid(id) || (field === 'TOTAL' && !/^\d{1,10}\.\d{2}$/.test(value))) throw new BadInputError('after is not a valid cursor');
    keyset.push(`(${key.column}, ${source.id}) ${direction === 'DESC' ? '<' : '>'} (?::${key.cast}, ?::uuid)`);
    keysetParams.push(field === 'TOTAL' ? value : instant(value, 'after')!.toISOString(), id);
  }
  const whereOf = (all: string[]) => (all.length > 0 ? `where ${all.join(' and ')}` : '');
  const order = `order by ${key.column} ${direction.toLowerCase()}, ${source.id} ${direction.toLowerCase()}`;
  const cursorOf = (order: Order) =>
    encodeCursor('order', [fingerprint, field === 'TOTAL' ? (order.totalAmount ?? '0.00') : order.createdAt.toISOString(), order.id]);
  const page = await lazyPage(async () => {
    const rows = await em.execute<OrderRow[]>(`select ${ORDER_COLUMNS} from ${source.from} ${whereOf([...conditions, ...keyset])} ${order} limit ?`, [
      ...params,
      ...keysetParams,
      size + 1,
    ]);
    return toConnection(rows.map(toOrder), size, 0, cursorOf);
  }, args.pageSelected ?? true);
  let total: Promise<number> | undefined;
  const totalCount = () =>
    (total ??= em.execute<{ count: string }[]>(`select count(*) as count from ${source.from} ${whereOf(conditions)}`, params).then(([row]) => Number(row?.count ?? 0)));
  const count = async ({ limit }: { limit?: number | null }) => {
    const bounded = boundedCountQuery(`select 1 from ${source.from} ${whereOf(conditions)}`, limit);
    const [row] = await em.execute<{ count: string }[]>(bounded.sql, [...params, bounded.limit]);
    return toBoundedCount(Number(row?.count ?? 0), bounded.cap);
  };
  return { ...page, totalCount, count };
}

/** An instant PostgreSQL can compare: JavaScript dates reach years PostgreSQL's parser refuses,
 *  which would otherwise surface as a masked internal error instead of bad input. */
function instant(value: Date | string | null | undefined, what: string): Date | null {
  if (value === null || value === undefined) return null;
  const date = new Date(value);
  if (Number.isNaN(date.getTime()) || !/^(?!0000)\d{4}-/.test(date.toISOString())) {
    throw new BadInputError(`${what} is not an ISO-8601 timestamp between the years 1 and 9999`);
  }
  return date;
}

function fingerprintOf(parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts.map((part) => part ?? null))).digest('base64url').slice(0, 16);
}
