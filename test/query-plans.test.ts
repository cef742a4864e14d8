import pg from 'pg';
import { startSystem, type RunningSystem } from './support/system.js';

/**
 * Every filter and foreign key the services query by has an index that can serve it. Tables in a
 * test are tiny, so PostgreSQL would rightly pick a sequential scan; with sequential scans priced
 * out, the plan shows which index the query can use, and a missing index shows up as a Seq Scan.
 */
let system: RunningSystem;

beforeAll(async () => {
  system = await startSystem();
});
afterAll(() => system.stop());

async function planOf(databaseUrl: string, sql: string): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('set enable_seqscan = off');
    const { rows } = await client.query(`explain (format json) ${sql}`);
    return JSON.stringify(rows[0]['QUERY PLAN']);
  } finally {
    await client.end();
  }
}

const UUID = "'00000000-0000-0000-0000-000000000001'";

describe('query plans', () => {
  const cases: [string, 'product' | 'payment' | 'order', string, string[]][] = [
    ['products by id (entity references)', 'product', 'select * from product where id in (1, 2, 3)', ['product_pkey']],
    ['product search on name, sku and description', 'product', "select * from product where name ilike '%tea%' or sku ilike '%tea%' or description ilike '%tea%'", ['product_name_trgm', 'product_sku_trgm', 'product_description_trgm']],
    ['products in stock, in catalog order', 'product', 'select * from product where stock > 0 order by id limit 21', ['product_in_stock']],
    ['reserved lines of an order', 'product', "select * from reservation_line where order_id = 'o-1'", ['reservation_line_pkey']],
    ['reservations holding a product', 'product', 'select * from reservation_line where product_id = 1', ['reservation_line_product_id']],
    ['payments of a page of orders', 'payment', `select * from payment where order_id in ('a', 'b')`, ['payment_order_id_unique']],
    ['newest orders', 'order', 'select * from customer_order order by created_at desc, id desc limit 51', ['customer_order_newest']],
    ['a customer\'s newest orders', 'order', "select * from customer_order where customer_id = 'c' order by created_at desc, id desc limit 21", ['customer_order_customer_newest']],
    ['orders by status', 'order', "select * from customer_order where status = 'PAID' order by created_at desc, id desc limit 21", ['customer_order_status_newest']],
    ['orders with a product', 'order', "select o.id from customer_order o where exists (select 1 from order_line l where l.order_id = o.id and l.product_id = '7')", ['order_line_product_id']],
    ['lines of a page of orders', 'order', `select * from order_line where order_id in (${UUID})`, ['order_line_pkey']],
    // Either the unique (customer, key) index or the customer index serves it; both lead with customer_id.
    ['an order by idempotency key', 'order', "select id from customer_order where customer_id = 'c' and idempotency_key = 'k'", []],
    ['abandoned sagas for recovery', 'order', "select id from customer_order where saga_step <> 'DONE' and updated_at < now() order by updated_at limit 20", ['customer_order_unfinished']],
  ];

  it.each(cases)('uses an index for %s', async (_name, service, sql, indexes) => {
    const plan = await planOf(system.databases[service], sql);
    for (const index of indexes) expect(plan).toContain(`"Index Name":"${index}"`);
    expect(plan).toContain('"Index Name"');
    expect(plan).not.toContain('"Node Type":"Seq Scan"');
  });
});
