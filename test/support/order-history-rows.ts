import pg from 'pg';

/**
 * A year of order history written straight into the order database: enough rows, spread like a
 * shop's, that the planner's choices are the ones it makes in production (a few rows make a Seq
 * Scan and a Sort the cheapest plan for anything). 500 customers, `customerId` the busiest with
 * a tenth of the orders; 100 products, `productId` the best seller, on 30% of the orders; a
 * quarter cancelled, some never priced; one order every 26 minutes for a year, the newest a day
 * old, so older than any the test places. Every filter then leaves far more than a page: a Sort
 * of what a filter leaves is then the costly plan the indexes must avoid (a filter that leaves a
 * handful of rows is rightly read and sorted, whatever the indexes).
 */
export async function writeOrderHistory(databaseUrl: string, { customerId, productId, orders = 20_000 }: { customerId: string; productId: string; orders?: number }) {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query(
      `insert into customer_order (id, customer_id, idempotency_key, request_fingerprint, status, saga_step, total_amount, cancellation_code, created_at, updated_at)
       select gen_random_uuid(), case when i % 10 = 0 then $1 else 'history-' || (i % 500) end, 'history-' || i, 'history',
              case when i % 4 = 3 then 'CANCELLED' else 'PAID' end, 'DONE',
              case when i % 8 = 7 then null else ((i * 7919) % 50000 + 100) / 100.0 end,
              case when i % 4 = 3 then 'OUT_OF_STOCK' end,
              now() - interval '1 day' - i * interval '26 minutes', now() - interval '1 day' - i * interval '26 minutes'
       from generate_series(1, $2::int) as i`,
      [customerId, orders],
    );
    await db.query(
      `insert into order_line (order_id, product_id, position, quantity, unit_price, customer_id, placed_at, order_total)
       select o.id, case when line = 0 and o.n % 10 < 3 then $1 else 'history-' || ((o.n * 37 + line * 11) % 100) end,
              line, 1, o.total_amount, o.customer_id, o.created_at, o.total_amount
       from (select *, row_number() over () as n from customer_order where request_fingerprint = 'history') o, generate_series(0, 2) as line`,
      [productId],
    );
    await db.query('analyze');
  } finally {
    await db.end();
  }
}
