import { randomUUID } from 'node:crypto';
import type { RunningServer } from '../../../lib/http.js';
import { createLogger } from '../../../lib/log.js';
import { readMetric } from '../../../lib/metrics.js';
import { adminToken, serviceHeaders, testAuth } from '../../../test/support/auth.js';
import { createTestDatabase } from '../../../test/support/database.js';
import { bearer, errorCodes, gql } from '../../../test/support/graphql.js';
import { MAX_CONFIRM_BATCH } from '../src/confirmBatch.js';
import { buildProductServer } from '../src/server.js';

let server: RunningServer;
let admin: Record<string, string>;

const RESERVE = `mutation($orderId: ID!, $lines: [ReservationLineInput!]!) { reserveStock(orderId: $orderId, lines: $lines) { status } }`;
const RELEASE = `mutation($orderId: ID!) { releaseStock(orderId: $orderId) { status } }`;
const CONFIRM_ONE = `mutation($orderId: ID!) { confirmReservation(orderId: $orderId) { status } }`;
const CONFIRM_MANY = `mutation($orderIds: [ID!]!) { confirmReservations(orderIds: $orderIds) { orderId confirmed status reason } }`;

beforeAll(async () => {
  server = await buildProductServer({ port: 0, databaseUrl: await createTestDatabase('product'), ...testAuth }, createLogger('product', 'silent'));
  admin = bearer(await adminToken());
});
afterAll(() => server.stop());

async function productWithStock(sku: string, stock: number): Promise<string> {
  const created = await gql(server.url, `mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }`, { input: { sku, name: sku, price: '1.00', stock } }, admin);
  return created.data.createProduct.id;
}

async function reserve(productId: string, quantity: number): Promise<string> {
  const orderId = randomUUID();
  await gql(server.url, RESERVE, { orderId, lines: [{ productId, quantity }] }, serviceHeaders);
  return orderId;
}

const stockOf = async (id: string) => (await gql(server.url, `query($id: ID!) { product(id: $id) { stock } }`, { id })).data.product.stock;
const statements = async () => readMetric(await (await fetch(server.url.replace('/graphql', '/metrics'))).text(), 'db_sql_statements_total');

describe('confirmReservations (the order saga confirms paid orders in batches)', () => {
  it('confirms every RESERVED reservation of the batch in one SQL statement and reports the others per order', async () => {
    const productId = await productWithStock('BATCH-A', 10);
    const reserved = [await reserve(productId, 1), await reserve(productId, 2), await reserve(productId, 1)];
    const released = await reserve(productId, 1);
    await gql(server.url, RELEASE, { orderId: released }, serviceHeaders);
    const rejected = await reserve(productId, 50);
    const unknown = randomUUID();
    const before = await statements();

    const answer = await gql(server.url, CONFIRM_MANY, { orderIds: [reserved[0]!.toUpperCase(), released, reserved[1], rejected, unknown, reserved[2], reserved[1]] }, serviceHeaders);

    expect(await statements()).toBe(before + 1);
    expect(answer.errors).toBeUndefined();
    // A RELEASED one is refused as the single confirm refuses it (its stock may be someone else's
    // now), but in its own answer: the rest of the batch is confirmed all the same.
    expect(answer.data.confirmReservations).toEqual([
      { orderId: reserved[0], confirmed: true, status: 'CONFIRMED', reason: null },
      { orderId: released, confirmed: false, status: 'RELEASED', reason: `The reservation of order ${released} is RELEASED and cannot be confirmed` },
      { orderId: reserved[1], confirmed: true, status: 'CONFIRMED', reason: null },
      { orderId: rejected, confirmed: false, status: 'REJECTED', reason: `The reservation of order ${rejected} is REJECTED and cannot be confirmed` },
      { orderId: unknown, confirmed: false, status: null, reason: `Order ${unknown} has no reservation` },
      { orderId: reserved[2], confirmed: true, status: 'CONFIRMED', reason: null },
    ]);
    expect(await stockOf(productId)).toBe(6);
    for (const orderId of reserved) expect((await gql(server.url, CONFIRM_ONE, { orderId }, serviceHeaders)).data.confirmReservation.status).toBe('CONFIRMED');
  });

  it('answers an order confirmed before as confirmed again, taking no stock twice', async () => {
    const productId = await productWithStock('BATCH-AGAIN', 5);
    const orderId = await reserve(productId, 2);
    await gql(server.url, CONFIRM_ONE, { orderId }, serviceHeaders);

    const again = await gql(server.url, CONFIRM_MANY, { orderIds: [orderId] }, serviceHeaders);

    expect(again.data.confirmReservations).toEqual([{ orderId, confirmed: true, status: 'CONFIRMED', reason: null }]);
    expect(await stockOf(productId)).toBe(3);
  });

  it(`refuses more than ${MAX_CONFIRM_BATCH} orders with BAD_USER_INPUT and confirms none of them`, async () => {
    const productId = await productWithStock('BATCH-BOUND', 5);
    const orderId = await reserve(productId, 1);
    const orderIds = [orderId, ...Array.from({ length: MAX_CONFIRM_BATCH }, () => randomUUID())];

    const answer = await gql(server.url, CONFIRM_MANY, { orderIds }, serviceHeaders);

    expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.errors![0]!.message).toBe(`At most ${MAX_CONFIRM_BATCH} orders are confirmed per call, not ${MAX_CONFIRM_BATCH + 1}`);
    expect((await gql(server.url, CONFIRM_MANY, { orderIds: [orderId] }, serviceHeaders)).data.confirmReservations[0].confirmed).toBe(true);
  });

  it('answers an empty batch with no answers', async () => {
    expect((await gql(server.url, CONFIRM_MANY, { orderIds: [] }, serviceHeaders)).data.confirmReservations).toEqual([]);
  });

  it('refuses a batch without the service credential, even from an admin', async () => {
    expect(errorCodes(await gql(server.url, CONFIRM_MANY, { orderIds: [randomUUID()] }, admin))).toEqual(['FORBIDDEN']);
  });
});
