import { randomUUID } from 'node:crypto';
import type { RunningServer } from '../../../lib/http.js';
import { createLogger } from '../../../lib/log.js';
import { readMetric } from '../../../lib/metrics.js';
import { adminToken, customerToken, serviceHeaders, testAuth } from '../../../test/support/auth.js';
import { createTestDatabase } from '../../../test/support/database.js';
import { bearer, errorCodes, gql } from '../../../test/support/graphql.js';
import { buildProductServer } from '../src/server.js';

let server: RunningServer;
let admin: Record<string, string>;

const CREATE = `mutation($input: CreateProductInput!) { createProduct(input: $input) { id sku name price stock } }`;
const RESERVE = `mutation($orderId: ID!, $lines: [ReservationLineInput!]!) {
  reserveStock(orderId: $orderId, lines: $lines) { status rejection reason lines { productId quantity unitPrice } } }`;
const RELEASE = `mutation($orderId: ID!) { releaseStock(orderId: $orderId) { status } }`;
const CONFIRM = `mutation($orderId: ID!) { confirmReservation(orderId: $orderId) { status rejection lines { productId quantity unitPrice } } }`;
const STOCK = `query($id: ID!) { product(id: $id) { stock } }`;

async function createProduct(input: Record<string, unknown>) {
  const response = await gql(server.url, CREATE, { input: { description: null, ...input } }, admin);
  expect(response.errors).toBeUndefined();
  return response.data.createProduct as { id: string; price: string; stock: number };
}

async function stockOf(id: string): Promise<number> {
  return (await gql(server.url, STOCK, { id })).data.product.stock;
}

beforeAll(async () => {
  server = await buildProductServer({ port: 0, databaseUrl: await createTestDatabase('product'), ...testAuth }, createLogger('product', 'silent'));
  admin = bearer(await adminToken());
});
afterAll(() => server.stop());

describe('catalog', () => {
  it('creates a product with an exact price and reads it back anonymously', async () => {
    const product = await createProduct({ sku: 'CAT-1', name: 'Catalog one', price: '19.9', stock: 3 });
    expect(product.price).toBe('19.90');
    const response = await gql(server.url, `query($id: ID!) { product(id: $id) { sku price stock createdAt } }`, { id: product.id });
    expect(response.data.product).toMatchObject({ sku: 'CAT-1', price: '19.90', stock: 3 });
    expect(response.data.product.createdAt).toMatch(/Z$/);
  });

  it('refuses a duplicate sku with CONFLICT', async () => {
    await createProduct({ sku: 'DUP-1', name: 'First', price: '1.00', stock: 1 });
    const response = await gql(server.url, CREATE, { input: { sku: 'DUP-1', name: 'Second', price: '1.00', stock: 1 } }, admin);
    expect(errorCodes(response)).toEqual(['CONFLICT']);
  });

  it.each([
    [{ price: '0.00' }],
    [{ price: '-1.00' }],
    [{ price: '1.001' }],
    [{ price: 'abc' }],
    [{ stock: -1 }],
    [{ sku: '  ' }],
  ])('refuses invalid product input %j with BAD_USER_INPUT', async (override) => {
    const input = { sku: `BAD-${Math.random()}`, name: 'Bad', price: '1.00', stock: 1, ...override };
    const response = await gql(server.url, CREATE, { input }, admin);
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
  });

  it('lets only admins change the catalog', async () => {
    const input = { sku: 'NOPE', name: 'Nope', price: '1.00', stock: 1 };
    expect(errorCodes(await gql(server.url, CREATE, { input }))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await gql(server.url, CREATE, { input }, bearer(await customerToken('c1'))))).toEqual(['FORBIDDEN']);
  });

  it('refuses a forged token even for anonymous reads', async () => {
    const response = await gql(server.url, `{ products { totalCount } }`, {}, bearer('not.a.token'));
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
  });

  it('never adjusts stock below zero', async () => {
    const product = await createProduct({ sku: 'ADJ-1', name: 'Adjustable', price: '2.00', stock: 2 });
    const adjust = `mutation($id: ID!, $delta: Int!) { adjustStock(id: $id, delta: $delta) { stock } }`;
    expect(errorCodes(await gql(server.url, adjust, { id: product.id, delta: -3 }, admin))).toEqual(['BAD_USER_INPUT']);
    expect((await gql(server.url, adjust, { id: product.id, delta: -2 }, admin)).data.adjustStock.stock).toBe(0);
    expect(errorCodes(await gql(server.url, adjust, { id: '999999', delta: 1 }, admin))).toEqual(['NOT_FOUND']);
  });

  it('searches name, sku and description case-insensitively, treating wildcards literally', async () => {
    await createProduct({ sku: 'SRCH-A', name: 'Blue Teapot', price: '5.00', stock: 1 });
    await createProduct({ sku: 'SRCH-B', name: 'Mug', description: 'holds 100% of your TEA', price: '5.00', stock: 0 });
    await createProduct({ sku: 'SRCH_C', name: 'Plate', price: '5.00', stock: 4 });
    const search = `query($filter: ProductFilter) { products(first: 50, filter: $filter) { totalCount edges { node { sku } } } }`;
    const skus = async (filter: object) => (await gql(server.url, search, { filter })).data.products.edges.map((e: any) => e.node.sku).sort();
    expect(await skus({ search: 'tea' })).toEqual(['SRCH-A', 'SRCH-B']);
    expect(await skus({ search: '100%' })).toEqual(['SRCH-B']);
    expect(await skus({ search: 'srch_' })).toEqual(['SRCH_C']);
    expect(await skus({ search: 'tea', inStock: true })).toEqual(['SRCH-A']);
    expect(await skus({ search: "'; drop table product; --" })).toEqual([]);
  });

  it('pages through products with cursors', async () => {
    for (let i = 0; i < 5; i += 1) await createProduct({ sku: `PAGE-${i}`, name: `Pager ${i}`, price: '1.00', stock: 1 });
    const page = `query($after: String) { products(first: 2, after: $after, filter: { search: "pager" }) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { name } } } }`;
    const names: string[] = [];
    let after: string | null = null;
    for (;;) {
      const { data }: { data?: any } = await gql(server.url, page, { after });
      expect(data.products.totalCount).toBe(5);
      names.push(...data.products.edges.map((e: any) => e.node.name));
      if (!data.products.pageInfo.hasNextPage) break;
      after = data.products.pageInfo.endCursor;
    }
    expect(names).toEqual(['Pager 0', 'Pager 1', 'Pager 2', 'Pager 3', 'Pager 4']);
    expect(errorCodes(await gql(server.url, `{ products(after: "garbage") { totalCount } }`))).toEqual(['BAD_USER_INPUT']);
    const forged = Buffer.from(JSON.stringify(['product', 'abc'])).toString('base64url');
    expect(errorCodes(await gql(server.url, `query($a: String) { products(after: $a) { totalCount } }`, { a: forged }))).toEqual(['BAD_USER_INPUT']);
  });

  it('caps first at 100 when more products exist', async () => {
    const capped = `query { products(first: 1000, filter: { search: "capped" }) { totalCount pageInfo { hasNextPage } edges { cursor } } }`;
    for (let batch = 0; batch < 6; batch += 1) {
      await Promise.all(Array.from({ length: 20 }, (_, i) => createProduct({ sku: `CAP-${batch}-${i}`, name: `Capped ${batch}-${i}`, price: '1.00', stock: 1 })));
    }
    const { data } = await gql(server.url, capped);
    expect(data.products.totalCount).toBe(120);
    expect(data.products.edges).toHaveLength(100);
    expect(data.products.pageInfo.hasNextPage).toBe(true);
  });
});

describe('entity resolution', () => {
  it('resolves many product references with one SELECT, null for unknown ids', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 30; i += 1) ids.push((await createProduct({ sku: `REF-${i}`, name: `Ref ${i}`, price: '3.00', stock: 1 })).id);
    const representations = [...ids, '987654321', 'not-an-id'].map((id) => ({ __typename: 'Product', id }));
    const before = await sqlStatements();
    const response = await gql(server.url, `query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { id name } } }`, { r: representations });
    const after = await sqlStatements();
    expect(response.data._entities).toHaveLength(32);
    expect(response.data._entities[0]).toEqual({ id: ids[0], name: 'Ref 0' });
    expect(response.data._entities.slice(30)).toEqual([null, null]);
    expect(after - before).toBe(1);
  });
});

async function sqlStatements(): Promise<number> {
  const text = await (await fetch(server.url.replace('/graphql', '/metrics'))).text();
  return readMetric(text, 'db_sql_statements_total');
}

describe('reservations (internal)', () => {
  it('refuses callers without the service credential, even admins', async () => {
    const response = await gql(server.url, RESERVE, { orderId: 'o-x', lines: [{ productId: '1', quantity: 1 }] }, admin);
    expect(errorCodes(response)).toEqual(['FORBIDDEN']);
  });

  it('reserves all lines with price snapshots, and a repeat reserves nothing more', async () => {
    const a = await createProduct({ sku: 'RES-A', name: 'A', price: '2.50', stock: 10 });
    const b = await createProduct({ sku: 'RES-B', name: 'B', price: '1.25', stock: 10 });
    const lines = [{ productId: a.id, quantity: 2 }, { productId: b.id, quantity: 1 }, { productId: a.id, quantity: 1 }];
    const first = await gql(server.url, RESERVE, { orderId: 'order-1', lines }, serviceHeaders);
    expect(first.data.reserveStock.status).toBe('RESERVED');
    expect(first.data.reserveStock.lines).toEqual(
      expect.arrayContaining([{ productId: a.id, quantity: 3, unitPrice: '2.50' }, { productId: b.id, quantity: 1, unitPrice: '1.25' }]),
    );
    const again = await gql(server.url, RESERVE, { orderId: 'order-1', lines }, serviceHeaders);
    expect(again.data.reserveStock).toEqual(first.data.reserveStock);
    expect(await stockOf(a.id)).toBe(7);
    expect(await stockOf(b.id)).toBe(9);
  });

  it('reserves nothing when one line is short', async () => {
    const a = await createProduct({ sku: 'SHORT-A', name: 'A', price: '1.00', stock: 5 });
    const b = await createProduct({ sku: 'SHORT-B', name: 'B', price: '1.00', stock: 1 });
    const response = await gql(server.url, RESERVE, { orderId: 'order-short', lines: [{ productId: a.id, quantity: 5 }, { productId: b.id, quantity: 2 }] }, serviceHeaders);
    expect(response.data.reserveStock).toMatchObject({ status: 'REJECTED', rejection: 'OUT_OF_STOCK', lines: [] });
    expect(response.data.reserveStock.reason).toContain(`Product ${b.id} is out of stock`);
    expect(await stockOf(a.id)).toBe(5);
    expect(await stockOf(b.id)).toBe(1);
  });

  it('rejects an unknown product as PRODUCT_NOT_FOUND', async () => {
    const response = await gql(server.url, RESERVE, { orderId: 'order-unknown', lines: [{ productId: '424242', quantity: 1 }] }, serviceHeaders);
    expect(response.data.reserveStock).toMatchObject({ status: 'REJECTED', rejection: 'PRODUCT_NOT_FOUND' });
  });

  it('treats the largest bigint as a product id that names no product, in reads, admin changes and reservations', async () => {
    const largest = '9223372036854775807';
    const read = await gql(server.url, STOCK, { id: largest });
    expect(read.errors).toBeUndefined();
    expect(read.data.product).toBeNull();
    const adjust = await gql(server.url, `mutation($id: ID!) { adjustStock(id: $id, delta: 1) { stock } }`, { id: largest }, admin);
    expect(errorCodes(adjust)).toEqual(['NOT_FOUND']);
    const reserve = await gql(server.url, RESERVE, { orderId: 'order-largest', lines: [{ productId: largest, quantity: 1 }] }, serviceHeaders);
    expect(reserve.data.reserveStock).toMatchObject({ status: 'REJECTED', rejection: 'PRODUCT_NOT_FOUND', reason: `Product ${largest} does not exist` });
  });

  it('never sends an id beyond bigint to PostgreSQL: it names no product', async () => {
    const beyond = '9223372036854775808';
    const read = await gql(server.url, STOCK, { id: beyond });
    expect(read.errors).toBeUndefined();
    expect(read.data.product).toBeNull();
    const reserve = await gql(server.url, RESERVE, { orderId: 'order-beyond', lines: [{ productId: beyond, quantity: 1 }] }, serviceHeaders);
    expect(reserve.data.reserveStock).toMatchObject({ status: 'REJECTED', rejection: 'PRODUCT_NOT_FOUND' });
  });

  it('keys a reservation by the order UUID in either case: the upper-case form reserves nothing more and releases it', async () => {
    const a = await createProduct({ sku: 'RES-CASE', name: 'Case', price: '3.00', stock: 5 });
    const orderId = randomUUID();
    const lines = [{ productId: a.id, quantity: 2 }];
    expect((await gql(server.url, RESERVE, { orderId, lines }, serviceHeaders)).data.reserveStock.status).toBe('RESERVED');
    expect((await gql(server.url, RESERVE, { orderId: orderId.toUpperCase(), lines }, serviceHeaders)).data.reserveStock.status).toBe('RESERVED');
    expect(await stockOf(a.id)).toBe(3);
    expect((await gql(server.url, RELEASE, { orderId: orderId.toUpperCase() }, serviceHeaders)).data.releaseStock.status).toBe('RELEASED');
    expect(await stockOf(a.id)).toBe(5);
  });

  it('releases once, and a reserve arriving after the release takes nothing', async () => {
    const a = await createProduct({ sku: 'REL-A', name: 'A', price: '1.00', stock: 4 });
    await gql(server.url, RESERVE, { orderId: 'order-rel', lines: [{ productId: a.id, quantity: 3 }] }, serviceHeaders);
    expect((await gql(server.url, RELEASE, { orderId: 'order-rel' }, serviceHeaders)).data.releaseStock.status).toBe('RELEASED');
    await gql(server.url, RELEASE, { orderId: 'order-rel' }, serviceHeaders);
    expect(await stockOf(a.id)).toBe(4);

    await gql(server.url, RELEASE, { orderId: 'order-late' }, serviceHeaders);
    const late = await gql(server.url, RESERVE, { orderId: 'order-late', lines: [{ productId: a.id, quantity: 1 }] }, serviceHeaders);
    expect(late.data.reserveStock.status).toBe('RELEASED');
    expect(await stockOf(a.id)).toBe(4);
  });

  it('confirms a reservation once: confirming the order again keeps its stock taken and its status CONFIRMED', async () => {
    const a = await createProduct({ sku: 'CONF-A', name: 'A', price: '4.00', stock: 5 });
    const orderId = randomUUID();
    await gql(server.url, RESERVE, { orderId, lines: [{ productId: a.id, quantity: 2 }] }, serviceHeaders);

    const first = await gql(server.url, CONFIRM, { orderId }, serviceHeaders);
    const again = await gql(server.url, CONFIRM, { orderId }, serviceHeaders);
    const upperCase = await gql(server.url, CONFIRM, { orderId: orderId.toUpperCase() }, serviceHeaders);

    expect(first.data.confirmReservation).toEqual({ status: 'CONFIRMED', rejection: null, lines: [{ productId: a.id, quantity: 2, unitPrice: '4.00' }] });
    expect(again.errors).toBeUndefined();
    expect(again.data.confirmReservation).toEqual(first.data.confirmReservation);
    expect(upperCase.data.confirmReservation).toEqual(first.data.confirmReservation);
    expect(await stockOf(a.id)).toBe(3);
    // A sold order cancelled later gets its 2 units back, once, however often it was confirmed.
    expect((await gql(server.url, RELEASE, { orderId }, serviceHeaders)).data.releaseStock.status).toBe('RELEASED');
    expect(await stockOf(a.id)).toBe(5);
  });

  it('refuses to confirm an order that reserved nothing as CONFLICT, and leaves no mark that would stop its reserve', async () => {
    const a = await createProduct({ sku: 'CONF-NONE', name: 'A', price: '1.00', stock: 3 });
    const orderId = randomUUID();

    const confirm = await gql(server.url, CONFIRM, { orderId }, serviceHeaders);

    expect(errorCodes(confirm)).toEqual(['CONFLICT']);
    expect(confirm.errors![0]!.message).toBe(`Order ${orderId} has no reservation`);
    expect((await gql(server.url, RESERVE, { orderId, lines: [{ productId: a.id, quantity: 1 }] }, serviceHeaders)).data.reserveStock.status).toBe('RESERVED');
    expect(await stockOf(a.id)).toBe(2);
  });

  it('refuses to confirm a released reservation as CONFLICT: its stock stays back on the shelf and it stays RELEASED', async () => {
    const a = await createProduct({ sku: 'CONF-REL', name: 'A', price: '1.00', stock: 4 });
    const orderId = randomUUID();
    await gql(server.url, RESERVE, { orderId, lines: [{ productId: a.id, quantity: 3 }] }, serviceHeaders);
    await gql(server.url, RELEASE, { orderId }, serviceHeaders);

    const confirm = await gql(server.url, CONFIRM, { orderId }, serviceHeaders);

    expect(errorCodes(confirm)).toEqual(['CONFLICT']);
    expect(confirm.errors![0]!.message).toBe(`The reservation of order ${orderId} is RELEASED and cannot be confirmed`);
    expect(await stockOf(a.id)).toBe(4);
    expect((await gql(server.url, RELEASE, { orderId }, serviceHeaders)).data.releaseStock.status).toBe('RELEASED');
    expect(await stockOf(a.id)).toBe(4);
  });

  it('refuses to confirm a rejected reservation as CONFLICT', async () => {
    const a = await createProduct({ sku: 'CONF-REJ', name: 'A', price: '1.00', stock: 1 });
    const orderId = randomUUID();
    await gql(server.url, RESERVE, { orderId, lines: [{ productId: a.id, quantity: 2 }] }, serviceHeaders);

    const confirm = await gql(server.url, CONFIRM, { orderId }, serviceHeaders);

    expect(errorCodes(confirm)).toEqual(['CONFLICT']);
    expect(confirm.errors![0]!.message).toBe(`The reservation of order ${orderId} is REJECTED and cannot be confirmed`);
    expect(await stockOf(a.id)).toBe(1);
  });

  it('refuses a confirmation without the service credential, even from an admin', async () => {
    expect(errorCodes(await gql(server.url, CONFIRM, { orderId: randomUUID() }, admin))).toEqual(['FORBIDDEN']);
  });

  it('never oversells when many orders race for the last units', async () => {
    const a = await createProduct({ sku: 'RACE-A', name: 'A', price: '1.00', stock: 5 });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => gql(server.url, RESERVE, { orderId: `race-${i}`, lines: [{ productId: a.id, quantity: 1 }] }, serviceHeaders)),
    );
    const statuses = results.map((r) => r.data.reserveStock.status);
    expect(statuses.filter((s) => s === 'RESERVED')).toHaveLength(5);
    expect(statuses.filter((s) => s === 'REJECTED')).toHaveLength(15);
    expect(await stockOf(a.id)).toBe(0);
  });

  it('reserves orders of several lines racing over shared products all or nothing, without a deadlock', async () => {
    const shared = await Promise.all(['P', 'Q', 'R', 'S'].map((name) => createProduct({ sku: `MULTI-${name}`, name, price: '1.00', stock: 12 })));
    // Each order asks for three of the four products, in an order of its own, so that two orders
    // locking rows in the order they were sent would deadlock.
    const orders = Array.from({ length: 24 }, (_, i) => {
      const picked = shared.filter((_, index) => index !== i % 4);
      const lines = (i % 2 === 0 ? picked : [...picked].reverse()).map((product) => ({ productId: product.id, quantity: 1 + (i % 2) }));
      return { orderId: `multi-${i}`, lines };
    });
    const results = await Promise.all(orders.map((order) => gql(server.url, RESERVE, order, serviceHeaders)));
    expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
    const taken = new Map(shared.map((product) => [product.id, 0]));
    results.forEach((result, i) => {
      const { status, lines } = result.data.reserveStock;
      expect(status === 'RESERVED' ? lines : []).toHaveLength(status === 'RESERVED' ? 3 : 0);
      if (status === 'RESERVED') for (const line of orders[i]!.lines) taken.set(line.productId, taken.get(line.productId)! + line.quantity);
    });
    expect(results.some((r) => r.data.reserveStock.status === 'REJECTED')).toBe(true);
    for (const product of shared) expect(await stockOf(product.id)).toBe(12 - taken.get(product.id)!);
  });

  it('takes the stock of one order once when its reserve calls race', async () => {
    const a = await createProduct({ sku: 'TWICE-A', name: 'A', price: '1.50', stock: 10 });
    const b = await createProduct({ sku: 'TWICE-B', name: 'B', price: '2.00', stock: 10 });
    const call = { orderId: randomUUID(), lines: [{ productId: b.id, quantity: 2 }, { productId: a.id, quantity: 3 }] };
    const results = await Promise.all(Array.from({ length: 8 }, () => gql(server.url, RESERVE, call, serviceHeaders)));
    for (const result of results) expect(result.data.reserveStock).toEqual(results[0]!.data.reserveStock);
    expect(results[0]!.data.reserveStock).toMatchObject({ status: 'RESERVED', lines: [{ productId: a.id, quantity: 3, unitPrice: '1.50' }, { productId: b.id, quantity: 2, unitPrice: '2.00' }] });
    expect([await stockOf(a.id), await stockOf(b.id)]).toEqual([7, 8]);
  });
});
