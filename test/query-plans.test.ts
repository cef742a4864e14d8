import pg from 'pg';
import { writeOrderHistory } from './support/order-history-rows.js';
import { recordSentSql, type SentStatement } from './support/sent-sql.js';
import { waitFor } from './support/processes.js';
import { Shopper } from './support/shop.js';
import { startSystem, type RunningSystem } from './support/system.js';

/**
 * Every statement the services send uses an index. The statements are the ones the pg driver
 * really carried while a workload ran through the gateway, not copies written for the test.
 * Tables in a test are tiny, so PostgreSQL would rightly pick a sequential scan; with sequential
 * scans priced out, the plan shows which index a statement can use, and a missing index shows
 * up as a Seq Scan.
 *
 * Order history is checked harder, because its filters and sorts multiply: the order database
 * also holds a year of a shop's history (support/order-history-rows.ts), every filter and sort
 * combination of orders and myOrders is requested through the gateway, and each page's plan is
 * taken with the planner's normal settings. It must read an index in the order of the sort: a
 * Seq Scan, or a Sort of every order the filters leave, fails.
 */
let system: RunningSystem;
let sent: SentStatement[] = [];
/** What count(limit: 100) answered over the year of history, unfiltered and filtered. */
const boundedCounts: unknown[] = [];
/** The statements of each order-history request (a filter and sort combination), by its name. */
const history = new Map<string, SentStatement[]>();

beforeAll(async () => {
  const recording = recordSentSql();
  try {
    system = await startSystem({ recovery: { graceMs: 200, intervalMs: 100 } });
    const fromStart = recording.sent.length;
    const admin = await Shopper.admin(system.gatewayUrl);
    const customer = await Shopper.customer(system.gatewayUrl, 'plans-1');
    const productId = await admin.createProduct({ name: 'Green tea', price: '5.00', stock: 10 });
    await writeOrderHistory(system.databases.order, { customerId: 'plans-1', productId });
    await customer.placeOrder([{ productId, quantity: 1 }], 'plans-key');
    await customer.placeOrder([{ productId, quantity: 1 }], 'plans-key');
    // A cancelled paid order: the refund, and the release that reads the order's reserved lines.
    const cancelled = await customer.placeOrder([{ productId, quantity: 1 }], 'plans-cancelled');
    await customer.request(`mutation($id: ID!) { cancelOrder(id: $id) { status } }`, { id: cancelled.data.placeOrder.id });
    await customer.request(`{ myOrders { edges { node { id lines { product { name } } payment { status } } } } }`);
    await admin.request(`{ orders(filter: { status: PAID }) { totalCount edges { node { id } } } }`);
    await admin.request(`query($p: ID!) { orders(filter: { productId: $p }) { totalCount edges { node { id } } } }`, { p: productId });
    await admin.request(`{ orders(first: 50) { totalCount edges { node { id lines { productId } payment { status } } } } }`);
    await admin.request(`{ products(filter: { search: "tea" }) { totalCount edges { node { id } } } }`);
    await admin.request(`{ products(filter: { inStock: true }) { totalCount edges { node { id } } } }`);
    boundedCounts.push(
      (await admin.request(`{ orders { count(limit: 100) { count precision } } }`)).data.orders.count,
      (await admin.request(`{ orders(filter: { customerId: "plans-1", status: PAID }) { count(limit: 100) { count precision } } }`)).data.orders.count,
      (await admin.request(`query($p: ID!) { orders(filter: { productId: $p }) { count(limit: 100) { count precision } } }`, { p: productId })).data.orders.count,
    );
    await waitFor('a recovery pass', async () => recording.sent.slice(fromStart).some((statement) => /saga_step <> 'DONE'/.test(statement.text)), 10_000, 50);
    sent = recording.sent.slice(fromStart);
    for (const [name, shopper, query, variables] of historyRequests(admin, customer, productId)) {
      for (const after of [null, 'next page']) {
        const cursor = after && (await shopper.request(query, variables)).data.list.pageInfo.endCursor;
        const before = recording.sent.length;
        const response = await shopper.request(query, { ...variables, after: cursor });
        expect(response.errors).toBeUndefined();
        history.set(`${name}${after ? ', after a cursor' : ''}`, recording.sent.slice(before));
      }
    }
  } finally {
    recording.stop();
  }
});
afterAll(() => system.stop());

const FILTERS = { customerId: 'plans-1', status: 'PAID', productId: '', placedAt: { from: daysAgo(240), to: daysAgo(60) } };
const SORTS = ['PLACED_AT', 'TOTAL'].flatMap((field) => ['ASC', 'DESC'].map((direction) => ({ field, direction })));

function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString();
}

/** Every filter combination of the admin list and of myOrders, each in every sort. */
function historyRequests(admin: Shopper, customer: Shopper, productId: string): [string, Shopper, string, Record<string, unknown>][] {
  const page = 'list: %s(first: 20, after: $after, %s) { totalCount pageInfo { endCursor } edges { node { id } } }';
  const all = `query($after: String, $filter: OrderFilter, $sort: OrderSort) { ${page.replace('%s', 'orders').replace('%s', 'filter: $filter, sort: $sort')} }`;
  const mine = `query($after: String, $status: OrderStatus, $productId: ID, $placedAt: DateTimeRange, $sort: OrderSort) {
    ${page.replace('%s', 'myOrders').replace('%s', 'status: $status, productId: $productId, placedAt: $placedAt, sort: $sort')} }`;
  const values: Record<string, unknown> = { ...FILTERS, productId };
  const subsets = (keys: string[]): string[][] => keys.reduce<string[][]>((sets, key) => [...sets, ...sets.map((set) => [...set, key])], [[]]);
  const requests: [string, Shopper, string, Record<string, unknown>][] = [];
  for (const sort of SORTS) {
    const sorted = `by ${sort.field} ${sort.direction}`;
    for (const keys of subsets(['customerId', 'status', 'productId', 'placedAt'])) {
      requests.push([`orders {${keys.join(', ')}} ${sorted}`, admin, all, { sort, filter: Object.fromEntries(keys.map((key) => [key, values[key]])) }]);
    }
    for (const keys of subsets(['status', 'productId', 'placedAt'])) {
      requests.push([`myOrders {${keys.join(', ')}} ${sorted}`, customer, mine, { sort, ...Object.fromEntries(keys.map((key) => [key, values[key]])) }]);
    }
  }
  return requests;
}

/** Reads and writes that look rows up; inserts, transaction control and catalog reads are left out. */
const lookups = () => sent.filter((statement) => /^\s*(select|update|delete|with)\b/i.test(statement.text) && !/pg_catalog|information_schema|^\s*select 1\s*$/i.test(statement.text));

function serviceOf(statement: SentStatement): 'product' | 'payment' | 'order' {
  return statement.database.replace(/_[0-9a-f]+$/, '') as 'product' | 'payment' | 'order';
}

async function planOf(statement: SentStatement, { seqScans = false } = {}): Promise<string> {
  const client = new pg.Client({ connectionString: system.databases[serviceOf(statement)] });
  await client.connect();
  try {
    if (!seqScans) await client.query('set enable_seqscan = off');
    const { rows } = await client.query(`explain (format json) ${statement.text}`, statement.values);
    return JSON.stringify(rows[0]['QUERY PLAN']);
  } finally {
    await client.end();
  }
}

describe('query plans of the SQL the services send', () => {
  const cases: [string, 'product' | 'payment' | 'order', RegExp, string[]][] = [
    ['products by id (entity references)', 'product', /from product where id in \(/, ['product_pkey']],
    ['product search on name, sku and description', 'product', /^select .* from product p where \(p\.name ilike/, ['product_name_trgm', 'product_sku_trgm', 'product_description_trgm']],
    ['products in stock, in catalog order', 'product', /^select .* from product p where p\.stock > 0 .*order by p\.id/, ['product_in_stock']],
    ['reserved lines of an order', 'product', /from reservation_line where order_id =/, ['reservation_line_pkey']],
    ['payments of a page of orders', 'payment', /from payment where order_id in \(/, ['payment_order_id_unique']],
    ['newest orders', 'order', /from customer_order o order by o\.created_at desc/, ['customer_order_newest']],
    ['a customer\'s newest orders', 'order', /from customer_order o where o\.customer_id = .* order by o\.created_at desc/, ['customer_order_customer_newest']],
    // PAID is most of the history: walking the newest orders and skipping the others is as good
    // as customer_order_status_newest, which serves the rare statuses.
    ['orders by status', 'order', /from customer_order o where o\.status = .* order by o\.created_at desc/, []],
    ['orders with a product', 'order', /from order_line l join customer_order o on o\.id = l\.order_id where l\.product_id = \S+ order by l\.placed_at desc/, ['order_line_product_placed']],
    ['lines of a page of orders', 'order', /from order_line where order_id in \(/, ['order_line_pkey']],
    // Either the unique (customer, key) index or the customer index serves it; both lead with customer_id.
    ['an order by idempotency key', 'order', /from customer_order where customer_id = .* and idempotency_key =/, []],
    ['abandoned sagas for recovery', 'order', /where saga_step <> 'DONE' and updated_at </, ['customer_order_unfinished']],
  ];

  it.each(cases)('uses an index for %s', async (_name, service, pattern, indexes) => {
    const statements = lookups().filter((statement) => serviceOf(statement) === service && pattern.test(statement.text.replace(/\s+/g, ' ')));
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      const plan = await planOf(statement);
      for (const index of indexes) expect(plan).toContain(`"Index Name":"${index}"`);
      expect(plan).toContain('"Index Name"');
    }
  });

  it('scans no table sequentially in any statement sent', async () => {
    const distinct = [...new Map(lookups().map((statement) => [`${serviceOf(statement)} ${statement.text}`, statement])).values()];
    expect(distinct.length).toBeGreaterThan(20);
    const scanning: string[] = [];
    for (const statement of distinct) if ((await planOf(statement)).includes('"Node Type":"Seq Scan"')) scanning.push(`${serviceOf(statement)}: ${statement.text}`);
    expect(scanning).toEqual([]);
  });
});

/** The names of the indexes a plan reads, in plan order. */
const indexesOf = (plan: string) => [...new Set([...plan.matchAll(/"Index Name":"([^"]+)"/g)].map((match) => match[1]!))];

describe('query plans of order history, every filter and sort', () => {
  it('reads each page from an index in sort order, with the planner free to choose a Seq Scan or a Sort', async () => {
    expect(history.size).toBe(2 * 4 * (16 + 8));
    const unserved: string[] = [];
    for (const [name, statements] of history) {
      const pages = statements.filter((statement) => / limit \S+$/.test(statement.text.trim()) && /customer_order|order_line/.test(statement.text));
      expect(pages).toHaveLength(1);
      const plan = await planOf(pages[0]!, { seqScans: true });
      if (/"Node Type":"(Seq Scan|Sort|Incremental Sort)"/.test(plan) || indexesOf(plan).length === 0) unserved.push(`${name}: ${plan}`);
    }
    expect(unserved).toEqual([]);
  });

  it('counts each with an index', async () => {
    const counts = [...history.values()].flat().filter((statement) => /^select count\(\*\)/.test(statement.text.trim()));
    expect(counts.length).toBeGreaterThan(0);
    for (const count of counts) expect(await planOf(count)).not.toContain('"Node Type":"Seq Scan"');
  });
});

describe('bounded counts over a year of history', () => {
  it('stop at limit + 1 matching rows, however many orders match', async () => {
    expect(boundedCounts).toEqual(Array(3).fill({ count: 100, precision: 'AT_LEAST' }));
    const bounded = lookups().filter((statement) => serviceOf(statement) === 'order' && /^select count\(\*\) as count from \(select 1 from /.test(statement.text.trim()));
    expect(bounded).toHaveLength(3);
    const client = new pg.Client({ connectionString: system.databases.order });
    await client.connect();
    try {
      for (const statement of bounded) {
        const { rows } = await client.query(`explain (analyze, format json) ${statement.text}`, statement.values);
        const read = rowsReadUnderLimit(rows[0]['QUERY PLAN'][0].Plan);
        expect({ statement: statement.text, read }).toEqual({ statement: statement.text, read: 101 });
      }
    } finally {
      await client.end();
    }
  });
});

interface PlanNode {
  'Node Type': string;
  'Actual Rows': number;
  Plans?: PlanNode[];
}

/** The rows the plan's Limit node passed on: what the count read before it stopped. */
function rowsReadUnderLimit(node: PlanNode): number | undefined {
  if (node['Node Type'] === 'Limit') return node['Actual Rows'];
  for (const child of node.Plans ?? []) {
    const read = rowsReadUnderLimit(child);
    if (read !== undefined) return read;
  }
  return undefined;
}
