import pg from 'pg';

export interface SystemDatabases {
  product: string;
  payment: string;
  order: string;
}

export interface InvariantReport {
  orders: number;
  paid: number;
  cancelled: number;
  violations: string[];
}

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

/**
 * Contract rule 9 checked over the whole of the three databases, not only the orders a test
 * placed: every order finished, PAID only with a completed payment, CANCELLED never with a
 * completed one, reservations matching the outcome, and stock conserved
 * (initial = current + units of PAID orders).
 */
export async function checkInvariants(databases: SystemDatabases, initialStock: Map<string, number>): Promise<InvariantReport> {
  const [orders, lines, payments, products, reservations] = await Promise.all([
    query<{ id: string; status: string; saga_step: string }>(databases.order, 'select id, status, saga_step from customer_order'),
    query<{ order_id: string; product_id: string; quantity: number }>(databases.order, 'select order_id, product_id, quantity from order_line'),
    query<{ order_id: string; status: string }>(databases.payment, 'select order_id, status from payment'),
    query<{ id: string; stock: number }>(databases.product, 'select id::text as id, stock from product'),
    query<{ order_id: string; status: string }>(databases.product, 'select order_id, status from reservation'),
  ]);
  const violations: string[] = [];
  const paymentOf = new Map(payments.map((payment) => [payment.order_id, payment.status]));
  const reservationOf = new Map(reservations.map((reservation) => [reservation.order_id, reservation.status]));
  const soldUnits = new Map<string, number>();
  const statusOf = new Map(orders.map((order) => [order.id, order.status]));
  for (const order of orders) {
    if (order.status === 'PENDING' || order.saga_step !== 'DONE') violations.push(`order ${order.id} is unfinished: ${order.status}/${order.saga_step}`);
    const payment = paymentOf.get(order.id);
    const reservation = reservationOf.get(order.id);
    if (order.status === 'PAID') {
      if (payment !== 'COMPLETED') violations.push(`order ${order.id} is PAID with payment ${payment ?? 'none'}`);
      if (reservation !== 'CONFIRMED' && reservation !== 'RESERVED') violations.push(`order ${order.id} is PAID with reservation ${reservation ?? 'none'}`);
    }
    if (order.status === 'CANCELLED') {
      if (payment === 'COMPLETED') violations.push(`order ${order.id} is CANCELLED with an unrefunded payment`);
      if (reservation === 'RESERVED' || reservation === 'CONFIRMED') violations.push(`order ${order.id} is CANCELLED with stock still ${reservation}`);
    }
  }
  for (const line of lines) {
    if (statusOf.get(line.order_id) === 'PAID') soldUnits.set(line.product_id, (soldUnits.get(line.product_id) ?? 0) + line.quantity);
  }
  for (const product of products) {
    const initial = initialStock.get(product.id);
    if (initial === undefined) continue;
    const expected = initial - (soldUnits.get(product.id) ?? 0);
    if (product.stock !== expected) violations.push(`product ${product.id} has stock ${product.stock}, expected ${expected}`);
  }
  for (const [orderId, status] of paymentOf) {
    if (!statusOf.has(orderId)) violations.push(`payment for unknown order ${orderId} is ${status}`);
  }
  return {
    orders: orders.length,
    paid: orders.filter((order) => order.status === 'PAID').length,
    cancelled: orders.filter((order) => order.status === 'CANCELLED').length,
    violations,
  };
}

export async function unfinishedOrders(orderDatabase: string): Promise<number> {
  const [row] = await query<{ count: string }>(orderDatabase, `select count(*) as count from customer_order where saga_step <> 'DONE'`);
  return Number(row?.count ?? 0);
}
