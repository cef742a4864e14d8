import { unfinishedOrders } from './support/invariants.js';
import { waitFor } from './support/processes.js';
import { Shopper } from './support/shop.js';
import { startSystem, type RunningSystem } from './support/system.js';

let system: RunningSystem;
let admin: Shopper;

const PAGE = `query Page($first: Int, $after: String, $filter: OrderFilter, $sort: OrderSort) {
  orders(first: $first, after: $after, filter: $filter, sort: $sort) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id status totalAmount paymentStatus payment { amount } shippingStatus shipment { status carrier }
      lines { quantity unitPrice product { name price stock } } } } } }`;

beforeAll(async () => {
  // Recovery looks for abandoned orders once at start and then every hour, not every 10 s: a pass
  // landing inside a measurement would add its statement to the order database's count.
  system = await startSystem({ recovery: { intervalMs: 3_600_000 } });
  admin = await Shopper.admin(system.gatewayUrl);
  const products = await Promise.all(Array.from({ length: 10 }, (_, i) => admin.createProduct({ name: `Item ${i}`, price: '1.50', stock: 1000 })));
  const customers = await Promise.all(Array.from({ length: 5 }, (_, i) => Shopper.customer(system.gatewayUrl, `pager-${i}`)));
  for (let i = 0; i < 60; i += 1) {
    const lines = [0, 1, 2].map((offset) => ({ productId: products[(i + offset) % products.length]!, quantity: 1 + (i % 3) }));
    await customers[i % customers.length]!.placeOrder(lines);
  }
  // The last orders' reservations are confirmed after their answers: done before anything is counted.
  await waitFor('every order to be DONE', async () => (await unfinishedOrders(system.databases.order)) === 0, 20_000, 20);
});
afterAll(() => system.stop());

async function statementsFor(query: () => Promise<unknown>) {
  const before = await system.sqlStatements();
  await query();
  const after = await system.sqlStatements();
  return { product: after.product - before.product, payment: after.payment - before.payment, shipping: after.shipping - before.shipping, order: after.order - before.order };
}

describe('a page of orders across the four subgraphs', () => {
  it('costs the same small number of SQL statements per subgraph for 10 or 50 orders', async () => {
    const ten = await statementsFor(() => admin.request(PAGE, { first: 10 }));
    const fifty = await statementsFor(() => admin.request(PAGE, { first: 50 }));
    expect(fifty).toEqual(ten);
    // The order subgraph: the page, its count, its lines. Payment and shipping: one batch each,
    // shared by payment and paymentStatus, shipment and shippingStatus.
    expect(fifty).toEqual({ order: 3, product: 1, payment: 1, shipping: 1 });
  });

  it('costs the same statements whatever the filter and sort, on the first page and after a cursor', async () => {
    const bought = await admin.request(`{ orders(first: 1, filter: { customerId: "pager-1" }) { edges { node { lines { productId } } } } }`);
    const product = bought.data.orders.edges[0].node.lines[0].productId;
    const filters = [{}, { status: 'PAID' }, { customerId: 'pager-1', productId: product }, { productId: product, placedAt: { from: '2020-01-01T00:00:00Z' } }];
    const sorts = [undefined, { field: 'TOTAL', direction: 'ASC' }, { field: 'PLACED_AT', direction: 'ASC' }];
    for (const filter of filters) {
      for (const sort of sorts) {
        for (const first of [2, 5]) {
          const after = (await admin.request(PAGE, { first, filter, sort })).data.orders.pageInfo.endCursor;
          expect(after).not.toBeNull();
          expect(await statementsFor(() => admin.request(PAGE, { first, filter, sort }))).toEqual({ order: 3, product: 1, payment: 1, shipping: 1 });
          expect(await statementsFor(() => admin.request(PAGE, { first, after, filter, sort }))).toEqual({ order: 3, product: 1, payment: 1, shipping: 1 });
        }
      }
    }
  });

  it('counts the orders only when totalCount is asked for', async () => {
    const uncounted = PAGE.replace('totalCount ', '');
    expect(await statementsFor(() => admin.request(uncounted, { first: 50 }))).toEqual({ order: 2, product: 1, payment: 1, shipping: 1 });
  });

  it('reads a page of the catalog in one statement, and counts it only when totalCount is asked for', async () => {
    const page = (fields: string) => () => admin.request(`{ products(first: 20, filter: { search: "a" }) { ${fields} edges { node { id name price stock } } } }`);
    expect(await statementsFor(page(''))).toEqual({ order: 0, product: 1, payment: 0, shipping: 0 });
    expect(await statementsFor(page('totalCount'))).toEqual({ order: 0, product: 2, payment: 0, shipping: 0 });
  });

  it('reads no row of a list asked only for its count, orders and products alike', async () => {
    for (const fields of ['totalCount', 'count { count precision }', 'totalCount count(limit: 5) { count }', '... Counted', '... on %Connection { totalCount }']) {
      const statements = fields.includes('totalCount') && fields.includes('limit') ? 2 : 1;
      const list = (field: string, type: string) => `{ ${field}(first: 50) { ${fields.replace('%', type)} } }${fields === '... Counted' ? ` fragment Counted on ${type}Connection { totalCount }` : ''}`;
      expect(await statementsFor(() => admin.request(list('orders', 'Order')))).toEqual({ order: statements, product: 0, payment: 0, shipping: 0 });
      expect(await statementsFor(() => admin.request(list('products', 'Product')))).toEqual({ order: 0, product: statements, payment: 0, shipping: 0 });
    }
    // Through a fragment, the page is seen and read as before.
    const paged = await admin.request(`{ orders(first: 2) { ...Paged } } fragment Paged on OrderConnection { ... on OrderConnection { edges { cursor } } }`);
    expect(paged.data.orders.edges).toHaveLength(2);
  });

  it('counts no further than count(limit:), and says whether the count is exact', async () => {
    const orders = async (args: string, filter = '') =>
      (await admin.request(`{ orders(first: 1${filter}) { totalCount count${args} { count precision } } }`)).data.orders;
    expect(await orders('')).toEqual({ totalCount: 60, count: { count: 60, precision: 'EXACT' } });
    expect(await orders('(limit: 60)')).toEqual({ totalCount: 60, count: { count: 60, precision: 'EXACT' } });
    expect(await orders('(limit: 59)')).toEqual({ totalCount: 60, count: { count: 59, precision: 'AT_LEAST' } });
    expect(await orders('(limit: 5)', ', filter: { customerId: "pager-1" }')).toEqual({ totalCount: 12, count: { count: 5, precision: 'AT_LEAST' } });
    expect(await orders('(limit: 12)', ', filter: { customerId: "pager-1" }')).toEqual({ totalCount: 12, count: { count: 12, precision: 'EXACT' } });
    const customer = await Shopper.customer(system.gatewayUrl, 'pager-2');
    expect((await customer.request(`{ myOrders { count(limit: 3) { count precision } } }`)).data.myOrders.count).toEqual({ count: 3, precision: 'AT_LEAST' });
    const products = (await admin.request(`{ products(filter: { search: "Item" }) { totalCount count(limit: 3) { count precision } } }`)).data.products;
    expect(products).toEqual({ totalCount: 10, count: { count: 3, precision: 'AT_LEAST' } });
  });

  it.each([0, -1, 100_001])('refuses count(limit: %i) as bad input', async (limit) => {
    for (const list of ['orders', 'products']) {
      const { errors } = await admin.request(`query($limit: Int) { ${list} { count(limit: $limit) { count } } }`, { limit });
      expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(errors?.[0]?.message).toMatch(/count\(limit:\) must be an integer from 1 to 100000/);
    }
  });

  it('returns 50 orders with their lines, products, payments and shipments', async () => {
    const { data, errors } = await admin.request(PAGE, { first: 50 });
    expect(errors).toBeUndefined();
    expect(data.orders.totalCount).toBe(60);
    expect(data.orders.edges).toHaveLength(50);
    for (const { node } of data.orders.edges) {
      expect(node).toMatchObject({ status: 'PAID', paymentStatus: 'COMPLETED', payment: { amount: node.totalAmount }, shippingStatus: 'PENDING', shipment: { status: 'PENDING', carrier: null } });
      expect(node.lines).toHaveLength(3);
      expect(node.lines[0].product.name).toMatch(/^Item \d$/);
    }
  });

  it('pages newest first without gaps or repeats', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = await admin.request(PAGE, { first: 25, after });
      seen.push(...page.data.orders.edges.map((edge: any) => edge.node.id));
      if (!page.data.orders.pageInfo.hasNextPage) break;
      after = page.data.orders.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(60);
    expect(new Set(seen).size).toBe(60);
  });
});
