import pg from 'pg';
import { errorCodes } from './support/graphql.js';
import { Shopper } from './support/shop.js';
import { startSystem, type RunningSystem } from './support/system.js';

/**
 * Order history through the gateway: sorts by placed time and total in both directions, with
 * ties in both, paged in small pages; placed-at ranges at their boundaries; the product filter.
 * Each expectation is the orders sorted in the test by (value, id), the documented tie-break.
 */
let system: RunningSystem;
let admin: Shopper;
let alice: Shopper;
let bob: Shopper;
const products: Record<'tea' | 'mug' | 'pot', string> = { tea: '', mug: '', pot: '' };
const HOUR = 3_600_000;
const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const at = (hours: number) => new Date(T0 + hours * HOUR).toISOString();

interface Placed {
  id: string;
  customerId: string;
  status: string;
  total: string;
  placedAt: string;
  products: string[];
}
const placed: Placed[] = [];

/** Places an order, then moves its placed time to `hours` after T0 (in the order and its lines),
 *  which is the only way to give two orders the same createdAt on purpose. */
async function order(shopper: Shopper, customerId: string, lines: [string, number][], hours: number) {
  const response = await shopper.placeOrder(lines.map(([productId, quantity]) => ({ productId, quantity })));
  const { id, status, totalAmount } = response.data.placeOrder;
  const db = new pg.Client({ connectionString: system.databases.order });
  await db.connect();
  try {
    await db.query('update customer_order set created_at = $2 where id = $1', [id, at(hours)]);
    await db.query('update order_line set placed_at = $2 where order_id = $1', [id, at(hours)]);
  } finally {
    await db.end();
  }
  placed.push({ id, customerId, status, total: totalAmount, placedAt: at(hours), products: lines.map(([productId]) => productId) });
}

beforeAll(async () => {
  system = await startSystem();
  admin = await Shopper.admin(system.gatewayUrl);
  alice = await Shopper.customer(system.gatewayUrl, 'history-alice');
  bob = await Shopper.customer(system.gatewayUrl, 'history-bob');
  products.tea = await admin.createProduct({ name: 'Tea', price: '10.00', stock: 100 });
  products.mug = await admin.createProduct({ name: 'Mug', price: '5.00', stock: 100 });
  products.pot = await admin.createProduct({ name: 'Pot', price: '7.00', stock: 100 });
  const { tea, mug, pot } = products;
  await order(alice, 'history-alice', [[tea, 1]], 1);
  await order(alice, 'history-alice', [[mug, 2]], 1); // same total and same placed time as the one before
  await order(alice, 'history-alice', [[tea, 1], [pot, 1]], 2);
  await order(alice, 'history-alice', [[mug, 1]], 2);
  await order(alice, 'history-alice', [[pot, 1]], 3);
  await order(alice, 'history-alice', [[tea, 2]], 4);
  await order(alice, 'history-alice', [[tea, 1], ['999999', 1]], 5); // cancelled unpriced: total 0.00
  await order(alice, 'history-alice', [[mug, 2]], 6);
  await order(bob, 'history-bob', [[tea, 1]], 1);
  await order(bob, 'history-bob', [[mug, 1]], 3);
});
afterAll(() => system.stop());

type Sort = { field: 'PLACED_AT' | 'TOTAL'; direction: 'ASC' | 'DESC' };
const SORTS: Sort[] = (['PLACED_AT', 'TOTAL'] as const).flatMap((field) => (['ASC', 'DESC'] as const).map((direction) => ({ field, direction })));

function expected(orders: Placed[], sort: Sort = { field: 'PLACED_AT', direction: 'DESC' }): string[] {
  const value = (order: Placed) => (sort.field === 'TOTAL' ? Number(order.total) : Date.parse(order.placedAt));
  const sign = sort.direction === 'ASC' ? 1 : -1;
  return [...orders].sort((a, b) => sign * (value(a) - value(b) || (a.id < b.id ? -1 : 1))).map((order) => order.id);
}

const MINE = `query Mine($first: Int, $after: String, $status: OrderStatus, $productId: ID, $placedAt: DateTimeRange, $sort: OrderSort) {
  myOrders(first: $first, after: $after, status: $status, productId: $productId, placedAt: $placedAt, sort: $sort) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id customerId totalAmount createdAt } } } }`;
const ALL = `query All($first: Int, $after: String, $filter: OrderFilter, $sort: OrderSort) {
  orders(first: $first, after: $after, filter: $filter, sort: $sort) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id customerId totalAmount createdAt } } } }`;

/** Every page of a list, `first` at a time; each page must report the same totalCount. */
async function everyPage(shopper: Shopper, query: string, variables: Record<string, unknown>, first = 2): Promise<{ ids: string[]; totalCount: number }> {
  const ids: string[] = [];
  const counts = new Set<number>();
  let after: string | null = null;
  for (;;) {
    const { data, errors }: { data?: any; errors?: unknown } = await shopper.request(query, { ...variables, first, after });
    expect(errors).toBeUndefined();
    const connection: any = data.myOrders ?? data.orders;
    counts.add(connection.totalCount);
    ids.push(...connection.edges.map((edge: any) => edge.node.id));
    if (!connection.pageInfo.hasNextPage) break;
    after = connection.pageInfo.endCursor;
  }
  expect(counts.size).toBe(1);
  return { ids, totalCount: [...counts][0]! };
}

const mine = (customerId: string) => placed.filter((order) => order.customerId === customerId);

describe('order history', () => {
  it('lists a customer\'s orders newest first when no sort is given, as before', async () => {
    const { data } = await alice.request(`{ myOrders { totalCount edges { node { id } } } }`);
    expect(data.myOrders.edges.map((edge: any) => edge.node.id)).toEqual(expected(mine('history-alice')));
    expect(data.myOrders.totalCount).toBe(8);
  });

  it.each(SORTS)('pages myOrders by $field $direction across ties without gaps or repeats', async (sort) => {
    // Pages of 3 split both the orders placed at the same time and those of the same total.
    const { ids, totalCount } = await everyPage(alice, MINE, { sort }, 3);
    expect(ids).toEqual(expected(mine('history-alice'), sort));
    expect(totalCount).toBe(8);
  });

  it.each(SORTS)('pages the admin list by $field $direction across every customer', async (sort) => {
    const { ids, totalCount } = await everyPage(admin, ALL, { sort }, 2);
    const ours = new Set(placed.map((order) => order.id));
    expect(ids.filter((id) => ours.has(id))).toEqual(expected(placed, sort));
    expect(totalCount).toBe(ids.length);
  });

  it('sorts an unpriced order as a total of 0.00', async () => {
    const { data } = await alice.request(MINE, { first: 1, sort: { field: 'TOTAL', direction: 'ASC' } });
    expect(data.myOrders.edges[0].node.totalAmount).toBe('0.00');
  });

  it('includes the range\'s from and excludes its to', async () => {
    const range = async (placedAt: Record<string, string>) => (await everyPage(alice, MINE, { placedAt, sort: { field: 'PLACED_AT', direction: 'ASC' } })).ids;
    const between = (from: number, to: number) => mine('history-alice').filter((order) => order.placedAt >= at(from) && order.placedAt < at(to));
    expect(await range({ from: at(1), to: at(3) })).toEqual(expected(between(1, 3), { field: 'PLACED_AT', direction: 'ASC' }));
    expect(await range({ from: at(1), to: at(3) })).toHaveLength(4);
    expect(await range({ from: at(4) })).toEqual(expected(between(4, 99), { field: 'PLACED_AT', direction: 'ASC' }));
    expect(await range({ to: at(2) })).toHaveLength(2);
    expect(await range({ from: at(2), to: at(2) })).toEqual([]);
    expect((await alice.request(MINE, { placedAt: { from: at(2), to: at(2) } })).data.myOrders.totalCount).toBe(0);
  });

  it('filters myOrders by product, never showing another customer\'s orders', async () => {
    const sort: Sort = { field: 'TOTAL', direction: 'DESC' };
    const withTea = (customerId: string) => mine(customerId).filter((order) => order.products.includes(products.tea));
    const alices = await everyPage(alice, MINE, { productId: products.tea, sort });
    expect(alices.ids).toEqual(expected(withTea('history-alice'), sort));
    expect(alices.totalCount).toBe(4);
    const bobs = await everyPage(bob, MINE, { productId: products.tea, sort });
    expect(bobs).toEqual({ ids: expected(withTea('history-bob'), sort), totalCount: 1 });
    expect((await bob.request(MINE, { productId: products.pot })).data.myOrders).toMatchObject({ totalCount: 0, edges: [] });
  });

  it('finds a just placed order by product at the instant it was placed, with its total', async () => {
    const carol = await Shopper.customer(system.gatewayUrl, 'history-carol');
    const { id, totalAmount } = (await carol.placeOrder([{ productId: products.pot, quantity: 3 }])).data.placeOrder;
    const { createdAt } = (await carol.request(`query($id: ID!) { order(id: $id) { createdAt } }`, { id })).data.order;
    const instant = { from: createdAt, to: new Date(Date.parse(createdAt) + 1).toISOString() };
    const variables = { productId: products.pot, placedAt: instant, sort: { field: 'TOTAL', direction: 'ASC' } };
    const { data } = await carol.request(MINE, variables);
    expect(data.myOrders.edges.map((edge: any) => edge.node)).toEqual([{ id, customerId: 'history-carol', totalAmount, createdAt }]);
    const after = data.myOrders.pageInfo.endCursor;
    expect((await carol.request(MINE, { ...variables, after })).data.myOrders.edges).toEqual([]);
  });

  it('combines the admin filters', async () => {
    const sort: Sort = { field: 'TOTAL', direction: 'ASC' };
    const filter = { customerId: 'history-alice', status: 'PAID', productId: products.tea, placedAt: { from: at(1), to: at(5) } };
    const { ids, totalCount } = await everyPage(admin, ALL, { filter, sort }, 1);
    const matching = placed.filter((order) => order.customerId === 'history-alice' && order.status === 'PAID' && order.products.includes(products.tea));
    expect(ids).toEqual(expected(matching.filter((order) => order.placedAt < at(5)), sort));
    expect(totalCount).toBe(3);
    const cancelled = await everyPage(admin, ALL, { filter: { ...filter, status: 'CANCELLED', placedAt: { from: at(5) } }, sort });
    expect(cancelled.totalCount).toBe(1);
  });

  it('refuses a range that ends before it starts, and a timestamp that is not one', async () => {
    expect(errorCodes(await alice.request(MINE, { placedAt: { from: at(3), to: at(2) } }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await admin.request(ALL, { filter: { placedAt: { from: at(3), to: at(2) } } }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await alice.request(`{ myOrders(placedAt: { from: "yesterday" }) { totalCount } }`))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await alice.request(MINE, { placedAt: { to: '+275760-09-13T00:00:00.000Z' } }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await alice.request(MINE, { placedAt: { from: '0000-01-01T00:00:00.000Z' } }))).toEqual(['BAD_USER_INPUT']);
    expect((await alice.request(MINE, { placedAt: { from: '0001-01-01T00:00:00.000Z', to: '9999-12-31T23:59:59.999Z' } })).data.myOrders.totalCount).toBe(8);
    expect(errorCodes(await alice.request(`{ myOrders(sort: { field: PRICE }) { totalCount } }`))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('refuses a malformed cursor, and one made under another sort or filter', async () => {
    const first = await alice.request(MINE, { first: 2, sort: { field: 'TOTAL', direction: 'ASC' } });
    const cursor = first.data.myOrders.pageInfo.endCursor;
    expect((await alice.request(MINE, { first: 2, after: cursor, sort: { field: 'TOTAL', direction: 'ASC' } })).errors).toBeUndefined();
    expect(errorCodes(await alice.request(MINE, { after: cursor, sort: { field: 'TOTAL', direction: 'DESC' } }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await alice.request(MINE, { after: cursor }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await alice.request(MINE, { after: cursor, sort: { field: 'TOTAL', direction: 'ASC' }, status: 'PAID' }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await alice.request(MINE, { after: 'not-a-cursor' }))).toEqual(['BAD_USER_INPUT']);
    const forged = Buffer.from(JSON.stringify(['order', 'x', 'not-a-time', 'not-an-id'])).toString('base64url');
    expect(errorCodes(await alice.request(MINE, { after: forged }))).toEqual(['BAD_USER_INPUT']);
    const message = (await alice.request(MINE, { after: cursor })).errors![0]!.message;
    expect(message).toMatch(/another sort or filter/);
  });
});
