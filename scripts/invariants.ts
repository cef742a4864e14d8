import pg from 'pg';

/** The database of each subgraph, as URLs. */
export interface SystemDatabases {
  product: string;
  payment: string;
  shipping: string;
  order: string;
}

export type StockSnapshot = Map<string, number>;

/** A shipment that is, or was, on its way: a paid order has exactly one (the unique order id makes it at most one). */
const LIVE_SHIPMENT: ReadonlySet<string> = new Set(['PENDING', 'SHIPPED', 'DELIVERED']);

export interface InvariantReport {
  orders: number;
  paid: number;
  cancelled: number;
  unitsSold: number;
  violations: string[];
}

/** One query on its own connection: for checks made from outside the services. */
export async function rows<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Every product's stock now, to compare with after a run. */
export async function stockSnapshot(productDatabase: string): Promise<StockSnapshot> {
  const products = await rows<{ id: string; stock: number }>(productDatabase, 'select id::text as id, stock from product');
  return new Map(products.map((product) => [product.id, product.stock]));
}

/**
 * Contract rule 9, read (never written) from the three databases: every order finished, PAID
 * only with a completed payment and its stock still taken (the reservation confirmed, or still
 * reserved when the confirmation did not get through), CANCELLED never with a completed payment
 * or stock held, no payment without its order; every PAID order with exactly one live shipment
 * (PENDING, SHIPPED or DELIVERED), every CANCELLED one with none (no row, or a CANCELLED one), no
 * shipment without its order; and for every product in `initialStock`:
 * initial stock = current stock + the units of the PAID orders. The crash and fault tests check
 * the whole system; the bench passes `customerPrefix` to check only the orders its load placed.
 */
export async function checkInvariants(databases: SystemDatabases, initialStock: StockSnapshot, customerPrefix?: string): Promise<InvariantReport> {
  const customers = customerPrefix === undefined ? '' : ' where customer_id like $1';
  const params = customerPrefix === undefined ? [] : [`${customerPrefix.replace(/[\\%_]/g, '\\$&')}%`];
  const [orders, lines, payments, shipments, reservations, current] = await Promise.all([
    rows<{ id: string; status: string; saga_step: string }>(databases.order, `select id, status, saga_step from customer_order${customers}`, params),
    rows<{ order_id: string; product_id: string; quantity: number }>(
      databases.order,
      `select order_id, product_id, quantity from order_line where order_id in (select id from customer_order${customers})`,
      params,
    ),
    rows<{ order_id: string; status: string }>(databases.payment, `select order_id, status from payment${customers}`, params),
    // A cancel's marker (customer '') is left out under a prefix: it is CANCELLED, which a PAID order's check reports as missing anyway.
    rows<{ order_id: string; status: string }>(databases.shipping, `select order_id, status from shipment${customers}`, params),
    rows<{ order_id: string; status: string }>(databases.product, 'select order_id, status from reservation'),
    stockSnapshot(databases.product),
  ]);
  const violations: string[] = [];
  const paymentOf = new Map(payments.map((payment) => [payment.order_id, payment.status]));
  const shipmentOf = new Map(shipments.map((shipment) => [shipment.order_id, shipment.status]));
  const reservationOf = new Map(reservations.map((reservation) => [reservation.order_id, reservation.status]));
  const statusOf = new Map(orders.map((order) => [order.id, order.status]));
  for (const order of orders) {
    if (order.status === 'PENDING' || order.saga_step !== 'DONE') violations.push(`order ${order.id} is unfinished: ${order.status}/${order.saga_step}`);
    const payment = paymentOf.get(order.id);
    const reservation = reservationOf.get(order.id);
    if (order.status === 'PAID') {
      if (payment !== 'COMPLETED') violations.push(`order ${order.id} is PAID with payment ${payment ?? 'none'}`);
      if (reservation !== 'CONFIRMED' && reservation !== 'RESERVED') violations.push(`order ${order.id} is PAID with reservation ${reservation ?? 'none'}`);
      if (!LIVE_SHIPMENT.has(shipmentOf.get(order.id) ?? 'none')) violations.push(`order ${order.id} is PAID with shipment ${shipmentOf.get(order.id) ?? 'none'}`);
    }
    if (order.status === 'CANCELLED') {
      if (payment === 'COMPLETED') violations.push(`order ${order.id} is CANCELLED with an unrefunded payment`);
      if (reservation === 'RESERVED' || reservation === 'CONFIRMED') violations.push(`order ${order.id} is CANCELLED with stock still ${reservation}`);
      if (LIVE_SHIPMENT.has(shipmentOf.get(order.id) ?? 'none')) violations.push(`order ${order.id} is CANCELLED with shipment ${shipmentOf.get(order.id)}`);
    }
  }
  for (const [orderId, status] of paymentOf) {
    if (!statusOf.has(orderId)) violations.push(`payment for unknown order ${orderId} is ${status}`);
  }
  for (const [orderId, status] of shipmentOf) {
    if (!statusOf.has(orderId)) violations.push(`shipment for unknown order ${orderId} is ${status}`);
  }
  const sold = new Map<string, number>();
  for (const line of lines) {
    if (statusOf.get(line.order_id) === 'PAID') sold.set(line.product_id, (sold.get(line.product_id) ?? 0) + line.quantity);
  }
  for (const [id, initial] of initialStock) {
    const expected = initial - (sold.get(id) ?? 0);
    const actual = current.get(id);
    if (actual !== expected) violations.push(`product ${id} has stock ${actual}, expected ${expected} (${initial} at first, ${sold.get(id) ?? 0} sold)`);
  }
  return {
    orders: orders.length,
    paid: orders.filter((order) => order.status === 'PAID').length,
    cancelled: orders.filter((order) => order.status === 'CANCELLED').length,
    unitsSold: [...sold.values()].reduce((sum, units) => sum + units, 0),
    violations,
  };
}

/** Orders whose saga has not finished, across the whole order database. */
export async function unfinishedOrders(orderDatabase: string): Promise<number> {
  const [row] = await rows<{ count: string }>(orderDatabase, `select count(*) as count from customer_order where saga_step <> 'DONE'`);
  return Number(row?.count ?? 0);
}
