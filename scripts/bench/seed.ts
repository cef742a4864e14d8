import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';
import { formatMoney, parseMoney } from '../../lib/money.js';
import type { SubgraphName } from './services.js';

/** A small deterministic generator (mulberry32): every run seeds the same catalog and history. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COLOURS = ['black', 'white', 'blue', 'green', 'red', 'copper', 'walnut', 'grey'];
const MATERIALS = ['steel', 'ceramic', 'glass', 'bamboo', 'cotton', 'oak', 'enamel', 'cast iron'];
const THINGS = ['coffee mug', 'teapot', 'kettle', 'grinder', 'dripper', 'tumbler', 'espresso cup', 'french press', 'milk jug', 'scale'];

/** What the bench searches for: each matches part of the catalog. */
export const SEARCH_TERMS = ['mug', 'steel kettle', 'blue', 'espresso', 'oak', 'grinder'];

/** What the storefront's shoppers type: every colour, material and kind of thing in the catalog. */
export const SHOPPER_TERMS = [...COLOURS, ...MATERIALS, ...THINGS];

const CREATE_PRODUCT = 'mutation SeedProduct($input: CreateProductInput!) { createProduct(input: $input) { id price } }';

export interface CatalogProduct {
  id: string;
  price: string;
}

/**
 * The catalog goes in through the product subgraph's own createProduct, as an admin would add
 * it, several at a time. Every tenth product has little stock, so the placeOrder load also
 * meets OUT_OF_STOCK and its compensation, not only the happy path.
 */
export async function seedCatalog(productUrl: string, adminToken: string, count: number): Promise<CatalogProduct[]> {
  const random = seededRandom(42);
  const inputs = Array.from({ length: count }, (_, i) => {
    const [colour, material, thing] = [pick(random, COLOURS), pick(random, MATERIALS), pick(random, THINGS)];
    return {
      sku: `BENCH-${String(i + 1).padStart(5, '0')}`,
      name: `${colour} ${material} ${thing}`,
      description: `A ${material} ${thing} in ${colour}, item ${i + 1} of the bench catalog.`,
      price: formatMoney(BigInt(100 + Math.floor(random() * 24_900))),
      stock: i % 10 === 9 ? 3 : 100_000,
    };
  });
  const products: CatalogProduct[] = [];
  let next = 0;
  const worker = async () => {
    while (next < inputs.length) {
      const input = inputs[next++]!;
      const response = await fetch(productUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
        body: JSON.stringify({ query: CREATE_PRODUCT, variables: { input } }),
      });
      const body = (await response.json()) as { data?: { createProduct: CatalogProduct }; errors?: unknown[] };
      if (!body.data) throw new Error(`createProduct failed: ${JSON.stringify(body.errors)}`);
      products.push(body.data.createProduct);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return products.sort((a, b) => Number(a.id) - Number(b.id));
}

interface HistoricOrder {
  id: string;
  customerId: string;
  paid: boolean;
  total: string;
  createdAt: Date;
  lines: { productId: string; quantity: number; unitPrice: string }[];
}

/**
 * Order history in bulk: placing thousands of orders through the saga would take minutes, so the
 * finished orders are written straight into each service's own database, each row as that
 * service's saga step would have left it: in the order subgraph the order and its lines, in the
 * product subgraph the confirmed or released reservation, in the payment subgraph the completed
 * or declined charge, in the shipping subgraph a paid order's shipment (half of them delivered).
 * Totals of 1000.00 and more are declined, as the payment simulator would.
 * It writes history only: stock is the catalog's, as if those sales happened before it was counted.
 */
/** An order of the seeded history: whose it is, for the storefront's order pages. */
export interface PastOrder {
  id: string;
  customerId: string;
}

/** The customers of the seeded history are customer-1 to customer-500. */
export const HISTORY_CUSTOMER_PREFIX = 'customer-';

export async function seedHistory(databaseUrl: (service: SubgraphName) => string, products: CatalogProduct[], count: number, seed: number): Promise<PastOrder[]> {
  const random = seededRandom(seed);
  const now = Date.now();
  const orders: HistoricOrder[] = Array.from({ length: count }, () => {
    const chosen = new Map<string, CatalogProduct>();
    const lineCount = 1 + Math.floor(random() * 4);
    while (chosen.size < lineCount) {
      const product = pick(random, products);
      chosen.set(product.id, product);
    }
    const lines = [...chosen.values()].map((product) => ({ productId: product.id, quantity: 1 + Math.floor(random() * 3), unitPrice: product.price }));
    const total = lines.reduce((sum, line) => sum + parseMoney(line.unitPrice) * BigInt(line.quantity), 0n);
    return {
      id: randomUUID(),
      customerId: `${HISTORY_CUSTOMER_PREFIX}${1 + Math.floor(random() * 500)}`,
      paid: total < 100_000n,
      total: formatMoney(total),
      createdAt: new Date(now - 60_000 - Math.floor(random() * 90 * 24 * 3600 * 1000)),
      lines,
    };
  });
  for (let start = 0; start < orders.length; start += 5_000) {
    const chunk = orders.slice(start, start + 5_000);
    await Promise.all([writeOrders(databaseUrl('order'), chunk), writeReservations(databaseUrl('product'), chunk), writePayments(databaseUrl('payment'), chunk), writeShipments(databaseUrl('shipping'), chunk)]);
  }
  await Promise.all((['order', 'product', 'payment', 'shipping'] as const).map((service) => run(databaseUrl(service), ['analyze'])));
  return orders.map(({ id, customerId }) => ({ id, customerId }));
}

const DECLINED = 'Declined: the amount is at or above the processor limit';

function writeOrders(url: string, orders: HistoricOrder[]): Promise<void> {
  const lines = orders.flatMap((order) => order.lines.map((line, position) => ({ orderId: order.id, position, ...line, order })));
  return run(url, [
    `insert into customer_order (id, customer_id, idempotency_key, request_fingerprint, status, saga_step, total_amount, cancellation_code, cancellation_reason, created_at, updated_at)
     select id, customer_id, 'history-' || id, fingerprint, status, 'DONE', total, code, reason, created, created
     from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::numeric[], $6::text[], $7::text[], $8::timestamptz[]) as t(id, customer_id, fingerprint, status, total, code, reason, created)`,
    [
      orders.map((order) => order.id),
      orders.map((order) => order.customerId),
      orders.map((order) => fingerprint(order.lines)),
      orders.map((order) => (order.paid ? 'PAID' : 'CANCELLED')),
      orders.map((order) => order.total),
      orders.map((order) => (order.paid ? null : 'PAYMENT_DECLINED')),
      orders.map((order) => (order.paid ? null : DECLINED)),
      orders.map((order) => order.createdAt.toISOString()),
    ],
  ], [
    `insert into order_line (order_id, product_id, position, quantity, unit_price, customer_id, placed_at, order_total)
     select * from unnest($1::uuid[], $2::text[], $3::int[], $4::int[], $5::numeric[], $6::text[], $7::timestamptz[], $8::numeric[])`,
    [
      lines.map((l) => l.orderId),
      lines.map((l) => l.productId),
      lines.map((l) => l.position),
      lines.map((l) => l.quantity),
      lines.map((l) => l.unitPrice),
      lines.map((l) => l.order.customerId),
      lines.map((l) => l.order.createdAt.toISOString()),
      lines.map((l) => l.order.total),
    ],
  ]);
}

function writeReservations(url: string, orders: HistoricOrder[]): Promise<void> {
  const lines = orders.flatMap((order) => order.lines.map((line) => ({ orderId: order.id, ...line })));
  return run(url, [
    `insert into reservation (order_id, status, created_at, updated_at) select order_id, status, created, created from unnest($1::text[], $2::text[], $3::timestamptz[]) as t(order_id, status, created)`,
    [orders.map((order) => order.id), orders.map((order) => (order.paid ? 'CONFIRMED' : 'RELEASED')), orders.map((order) => order.createdAt.toISOString())],
  ], [
    `insert into reservation_line (order_id, product_id, quantity, unit_price) select * from unnest($1::text[], $2::bigint[], $3::int[], $4::numeric[])`,
    [lines.map((l) => l.orderId), lines.map((l) => l.productId), lines.map((l) => l.quantity), lines.map((l) => l.unitPrice)],
  ]);
}

function writePayments(url: string, orders: HistoricOrder[]): Promise<void> {
  return run(url, [
    `insert into payment (order_id, customer_id, amount, status, failure_reason, created_at, updated_at)
     select order_id, customer_id, amount, status, reason, created, created
     from unnest($1::text[], $2::text[], $3::numeric[], $4::text[], $5::text[], $6::timestamptz[]) as t(order_id, customer_id, amount, status, reason, created)`,
    [
      orders.map((order) => order.id),
      orders.map((order) => order.customerId),
      orders.map((order) => order.total),
      orders.map((order) => (order.paid ? 'COMPLETED' : 'FAILED')),
      orders.map((order) => (order.paid ? null : DECLINED)),
      orders.map((order) => order.createdAt.toISOString()),
    ],
  ]);
}

function writeShipments(url: string, orders: HistoricOrder[]): Promise<void> {
  const paid = orders.filter((order) => order.paid);
  const delivered = (index: number) => index % 2 === 0;
  return run(url, [
    `insert into shipment (order_id, customer_id, status, carrier, tracking_number, shipped_at, delivered_at, created_at, updated_at)
     select order_id, customer_id, status, carrier, tracking, shipped, delivered, created, created
     from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::timestamptz[])
       as t(order_id, customer_id, status, carrier, tracking, shipped, delivered, created)`,
    [
      paid.map((order) => order.id),
      paid.map((order) => order.customerId),
      paid.map((_, index) => (delivered(index) ? 'DELIVERED' : 'PENDING')),
      paid.map((_, index) => (delivered(index) ? 'DHL' : null)),
      paid.map((order, index) => (delivered(index) ? `JD${order.id.slice(0, 8)}` : null)),
      paid.map((order, index) => (delivered(index) ? order.createdAt.toISOString() : null)),
      paid.map((order, index) => (delivered(index) ? order.createdAt.toISOString() : null)),
      paid.map((order) => order.createdAt.toISOString()),
    ],
  ]);
}

/** The idempotency fingerprint placeOrder records, so a history order looks like a placed one. */
function fingerprint(lines: { productId: string; quantity: number }[]): string {
  const canonical = [...lines].sort((a, b) => (a.productId < b.productId ? -1 : 1)).map((l) => `${l.productId}x${l.quantity}`);
  return createHash('sha256').update(canonical.join(',')).digest('hex');
}

type Statement = [string, unknown[]] | [string];

/** Runs statements in one transaction of one short-lived connection. */
async function run(url: string, ...statements: Statement[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('begin');
    for (const [sql, params] of statements) await client.query(sql, params);
    await client.query('commit');
  } finally {
    await client.end();
  }
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** Orders of the archive: older than the seeded history, so no page of the bench shows one. */
const ARCHIVE = 'archive';

/**
 * Tops the order database up to `total` orders with archived ones (two lines each, 50,000
 * customers), in bulk SQL: counting is the one cost that grows with the history, and the count
 * rows need millions of orders that no other subgraph has to know about. They are older than
 * the seeded history and than any order the bench places, so the pages the bench reads are
 * the same orders at every size. Returns how many orders there now are.
 */
export async function topUpArchive(orderDatabaseUrl: string, total: number): Promise<number> {
  const client = new pg.Client({ connectionString: orderDatabaseUrl });
  await client.connect();
  try {
    const [{ count }] = (await client.query<{ count: string }>('select count(*) as count from customer_order')).rows as [{ count: string }];
    const [{ max }] = (await client.query<{ max: string | null }>(`select max(substring(idempotency_key from 9)::int) as max from customer_order where request_fingerprint = '${ARCHIVE}'`)).rows as [{ max: string | null }];
    const first = Number(max ?? 0) + 1;
    const last = first + Math.max(0, total - Number(count)) - 1;
    for (let from = first; from <= last; from += 250_000) {
      const to = Math.min(last, from + 249_999);
      await client.query(
        `with archived as (
           insert into customer_order (id, customer_id, idempotency_key, request_fingerprint, status, saga_step, total_amount, cancellation_code, created_at, updated_at)
           select gen_random_uuid(), 'archive-customer-' || (i % 50000), 'archive-' || i, '${ARCHIVE}',
                  case when i % 4 = 3 then 'CANCELLED' else 'PAID' end, 'DONE', ((i::bigint * 7919) % 50000 + 100) / 100.0,
                  case when i % 4 = 3 then 'PAYMENT_DECLINED' end,
                  now() - interval '100 days' - i * interval '1 second', now() - interval '100 days' - i * interval '1 second'
           from generate_series($1::int, $2::int) as i
           returning id, customer_id, idempotency_key, total_amount, created_at)
         insert into order_line (order_id, product_id, position, quantity, unit_price, customer_id, placed_at, order_total)
         select a.id, (1 + (substring(a.idempotency_key from 9)::int * 37 + line * 11) % 1000)::text, line, 1, a.total_amount / 2, a.customer_id, a.created_at, a.total_amount
         from archived a, generate_series(0, 1) as line`,
        [from, to],
      );
    }
    await client.query('analyze customer_order');
    await client.query('analyze order_line');
    return Math.max(Number(count), total);
  } finally {
    await client.end();
  }
}

/** Takes the archive out again, so the rows after the count rows see the seeded history alone. */
export async function removeArchive(orderDatabaseUrl: string): Promise<void> {
  await run(
    orderDatabaseUrl,
    [`delete from order_line where order_id in (select id from customer_order where request_fingerprint = '${ARCHIVE}')`],
    [`delete from customer_order where request_fingerprint = '${ARCHIVE}'`],
  );
  const client = new pg.Client({ connectionString: orderDatabaseUrl });
  await client.connect();
  try {
    await client.query('vacuum analyze customer_order');
    await client.query('vacuum analyze order_line');
  } finally {
    await client.end();
  }
}
