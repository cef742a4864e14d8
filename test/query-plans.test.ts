import pg from 'pg';
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
 */
let system: RunningSystem;
let sent: SentStatement[] = [];

beforeAll(async () => {
  const recording = recordSentSql();
  try {
    system = await startSystem({ recovery: { graceMs: 200, intervalMs: 100 } });
    const fromStart = recording.sent.length;
    const admin = await Shopper.admin(system.gatewayUrl);
    const customer = await Shopper.customer(system.gatewayUrl, 'plans-1');
    const productId = await admin.createProduct({ name: 'Green tea', price: '5.00', stock: 10 });
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
    await waitFor('a recovery pass', async () => recording.sent.slice(fromStart).some((statement) => /saga_step <> 'DONE'/.test(statement.text)), 10_000, 50);
    sent = recording.sent.slice(fromStart);
  } finally {
    recording.stop();
  }
});
afterAll(() => system.stop());

/** Reads and writes that look rows up; inserts, transaction control and catalog reads are left out. */
const lookups = () => sent.filter((statement) => /^\s*(select|update|delete|with)\b/i.test(statement.text) && !/pg_catalog|information_schema|^\s*select 1\s*$/i.test(statement.text));

function serviceOf(statement: SentStatement): 'product' | 'payment' | 'order' {
  return statement.database.replace(/_[0-9a-f]+$/, '') as 'product' | 'payment' | 'order';
}

async function planOf(statement: SentStatement): Promise<string> {
  const client = new pg.Client({ connectionString: system.databases[serviceOf(statement)] });
  await client.connect();
  try {
    await client.query('set enable_seqscan = off');
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
    ['orders by status', 'order', /from customer_order o where o\.status = .* order by o\.created_at desc/, ['customer_order_status_newest']],
    ['orders with a product', 'order', /^select o\.id.* where exists \(select 1 from order_line l/, ['order_line_product_id']],
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
