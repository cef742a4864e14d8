import pg from 'pg';
import type { SubgraphName } from './services.js';

export type StockSnapshot = Map<string, number>;

export interface ConservationReport {
  orders: number;
  paid: number;
  cancelled: number;
  unitsSold: number;
  violations: string[];
}

async function rows<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

export async function stockSnapshot(productDatabase: string): Promise<StockSnapshot> {
  const products = await rows<{ id: string; stock: number }>(productDatabase, 'select id::text as id, stock from product');
  return new Map(products.map((product) => [product.id, product.stock]));
}

/**
 * After the placeOrder load, read (never written) from each service's database: every order the
 * load placed is finished, PAID only with a completed payment and a confirmed reservation,
 * CANCELLED never with a completed payment or stock still held, and for every product the stock
 * before the load equals the stock after it plus the units of the paid orders.
 */
export async function checkConservation(databaseUrl: (service: SubgraphName) => string, before: StockSnapshot, customerPrefix: string): Promise<ConservationReport> {
  const [orders, lines, payments, reservations, after] = await Promise.all([
    rows<{ id: string; status: string; saga_step: string }>(databaseUrl('order'), 'select id, status, saga_step from customer_order where customer_id like $1', [`${customerPrefix}%`]),
    rows<{ order_id: string; product_id: string; quantity: number }>(
      databaseUrl('order'),
      'select l.order_id, l.product_id, l.quantity from order_line l join customer_order o on o.id = l.order_id where o.customer_id like $1',
      [`${customerPrefix}%`],
    ),
    rows<{ order_id: string; status: string }>(databaseUrl('payment'), 'select order_id, status from payment where customer_id like $1', [`${customerPrefix}%`]),
    rows<{ order_id: string; status: string }>(databaseUrl('product'), 'select order_id, status from reservation'),
    stockSnapshot(databaseUrl('product')),
  ]);
  const paymentOf = new Map(payments.map((payment) => [payment.order_id, payment.status]));
  const reservationOf = new Map(reservations.map((reservation) => [reservation.order_id, reservation.status]));
  const statusOf = new Map(orders.map((order) => [order.id, order.status]));
  const violations: string[] = [];
  for (const order of orders) {
    const payment = paymentOf.get(order.id);
    const reservation = reservationOf.get(order.id);
    if (order.saga_step !== 'DONE') violations.push(`order ${order.id} is unfinished: ${order.status}/${order.saga_step}`);
    if (order.status === 'PAID' && payment !== 'COMPLETED') violations.push(`order ${order.id} is PAID with payment ${payment ?? 'none'}`);
    if (order.status === 'PAID' && reservation !== 'CONFIRMED') violations.push(`order ${order.id} is PAID with reservation ${reservation ?? 'none'}`);
    if (order.status === 'CANCELLED' && payment === 'COMPLETED') violations.push(`order ${order.id} is CANCELLED with a completed payment`);
    if (order.status === 'CANCELLED' && (reservation === 'RESERVED' || reservation === 'CONFIRMED')) violations.push(`order ${order.id} is CANCELLED with stock still ${reservation}`);
  }
  const sold = new Map<string, number>();
  for (const line of lines) {
    if (statusOf.get(line.order_id) === 'PAID') sold.set(line.product_id, (sold.get(line.product_id) ?? 0) + line.quantity);
  }
  for (const [id, stock] of before) {
    const expected = stock - (sold.get(id) ?? 0);
    const actual = after.get(id);
    if (actual !== expected) violations.push(`product ${id} has stock ${actual}, expected ${expected} (${stock} before, ${sold.get(id) ?? 0} sold)`);
  }
  return {
    orders: orders.length,
    paid: orders.filter((order) => order.status === 'PAID').length,
    cancelled: orders.filter((order) => order.status === 'CANCELLED').length,
    unitsSold: [...sold.values()].reduce((sum, units) => sum + units, 0),
    violations,
  };
}
