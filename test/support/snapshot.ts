import pg from 'pg';
import type { SystemDatabases } from './invariants.js';

async function scalar(url: string, sql: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(sql);
    return JSON.stringify(rows);
  } finally {
    await client.end();
  }
}

/** Everything a hostile request could change: stock, orders, lines, reservations, payments and shipments. */
export async function dataSnapshot(databases: SystemDatabases): Promise<Record<string, string>> {
  const [products, reservations, orders, lines, payments, shipments] = await Promise.all([
    scalar(databases.product, 'select id, sku, name, description, price, stock from product order by id'),
    scalar(databases.product, 'select order_id, status from reservation order by order_id'),
    scalar(databases.order, 'select id, status, saga_step from customer_order order by id'),
    scalar(databases.order, 'select order_id, product_id, quantity from order_line order by order_id, product_id'),
    scalar(databases.payment, 'select order_id, status, amount from payment order by order_id'),
    scalar(databases.shipping, 'select order_id, status, carrier, tracking_number, updated_at from shipment order by order_id'),
  ]);
  return { products, reservations, orders, lines, payments, shipments };
}
