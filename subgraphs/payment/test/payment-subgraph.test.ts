import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { RunningServer } from '../../../lib/http.js';
import { createLogger } from '../../../lib/log.js';
import { readMetric } from '../../../lib/metrics.js';
import { adminToken, customerToken, serviceHeaders, testAuth } from '../../../test/support/auth.js';
import { createTestDatabase } from '../../../test/support/database.js';
import { bearer, errorCodes, gql } from '../../../test/support/graphql.js';
import type { ProcessorConfig } from '../src/processor.js';
import { buildPaymentServer } from '../src/server.js';

const quiet = createLogger('payment', 'silent');

const FIELDS = 'id orderId amount status failureReason createdAt updatedAt';
const CHARGE = `mutation($orderId: ID!, $customerId: ID!, $amount: Decimal!) {
  chargePayment(orderId: $orderId, customerId: $customerId, amount: $amount) { ${FIELDS} } }`;
const REFUND = `mutation($orderId: ID!) { refundPayment(orderId: $orderId) { ${FIELDS} } }`;
const PAYMENT_FOR_ORDER = `query($orderId: ID!) { paymentForOrder(orderId: $orderId) { ${FIELDS} } }`;
const ORDER_ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { id paymentStatus payment { id amount status } } } }`;
const PAYMENT_ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Payment { id orderId amount } } }`;

const processor: ProcessorConfig = { declineThreshold: '1000.00', latencyMs: 0, failureRate: 0 };

let databaseUrl: string;
let server: RunningServer;
let slowServer: RunningServer;
let database: pg.Client;
let admin: Record<string, string>;

beforeAll(async () => {
  databaseUrl = await createTestDatabase('payment');
  server = await buildPaymentServer({ port: 0, databaseUrl, ...testAuth, processor }, quiet);
  // A processor slow enough that a void can land while a charge is waiting for its answer.
  slowServer = await buildPaymentServer({ port: 0, databaseUrl, ...testAuth, processor: { ...processor, latencyMs: 1000 } }, quiet);
  database = new pg.Client({ connectionString: databaseUrl });
  await database.connect();
  admin = bearer(await adminToken());
});
afterAll(async () => {
  await database.end();
  await Promise.all([server.stop(), slowServer.stop()]);
});

async function charge(orderId: string, amount: string, customerId = 'cust-1', url = server.url) {
  const response = await gql(url, CHARGE, { orderId, customerId, amount }, serviceHeaders);
  expect(response.errors).toBeUndefined();
  return response.data.chargePayment;
}

async function refund(orderId: string) {
  const response = await gql(server.url, REFUND, { orderId }, serviceHeaders);
  expect(response.errors).toBeUndefined();
  return response.data.refundPayment;
}

async function paymentForOrder(orderId: string) {
  return (await gql(server.url, PAYMENT_FOR_ORDER, { orderId }, serviceHeaders)).data.paymentForOrder;
}

async function rowsFor(orderId: string): Promise<number> {
  const result = await database.query<{ count: string }>('select count(*) from payment where order_id = $1', [orderId]);
  return Number(result.rows[0]!.count);
}

async function sqlStatements(): Promise<number> {
  const text = await (await fetch(server.url.replace('/graphql', '/metrics'))).text();
  return readMetric(text, 'db_sql_statements_total');
}

describe('internal operations', () => {
  it('refuse callers without the service credential, even admins', async () => {
    for (const headers of [admin, bearer(await customerToken('cust-1')), {}]) {
      expect(errorCodes(await gql(server.url, CHARGE, { orderId: 'forbidden-1', customerId: 'cust-1', amount: '5.00' }, headers))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await gql(server.url, REFUND, { orderId: 'forbidden-1' }, headers))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await gql(server.url, PAYMENT_FOR_ORDER, { orderId: 'forbidden-1' }, headers))).toEqual(['FORBIDDEN']);
    }
    expect(await rowsFor('forbidden-1')).toBe(0);
  });
});

describe('charging', () => {
  it('completes a charge below the decline threshold for the exact amount', async () => {
    const payment = await charge('below-1', '999.9');
    expect(payment).toMatchObject({ orderId: 'below-1', amount: '999.90', status: 'COMPLETED', failureReason: null });
    expect(payment.createdAt).toMatch(/Z$/);
    expect(await paymentForOrder('below-1')).toEqual(payment);
  });

  it.each(['1000.00', '2500.50'])('declines a charge of %s, at or above the threshold, with a reason', async (amount) => {
    const payment = await charge(`declined-${amount}`, amount);
    expect(payment).toMatchObject({ amount, status: 'FAILED' });
    expect(payment.failureReason).toBe('Declined by the processor: amounts of 1000.00 or more are refused');
  });

  it('returns the same payment when a charge is repeated, with one row for the order', async () => {
    const first = await charge('repeat-1', '42.00');
    const again = await charge('repeat-1', '42.00');
    expect(again).toEqual(first);
    expect(await rowsFor('repeat-1')).toBe(1);
  });

  it('charges an order once when eight identical charges race', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => charge('race-1', '12.34', 'cust-1', slowServer.url)));
    expect(new Set(results.map((payment) => payment.id)).size).toBe(1);
    expect(results.every((payment) => payment.status === 'COMPLETED')).toBe(true);
    expect(await rowsFor('race-1')).toBe(1);
  });

  it('refuses a second charge of the same order for another amount or customer with CONFLICT', async () => {
    const first = await charge('conflict-1', '10.00');
    const otherAmount = await gql(server.url, CHARGE, { orderId: 'conflict-1', customerId: 'cust-1', amount: '10.01' }, serviceHeaders);
    const otherCustomer = await gql(server.url, CHARGE, { orderId: 'conflict-1', customerId: 'cust-2', amount: '10.00' }, serviceHeaders);
    expect(errorCodes(otherAmount)).toEqual(['CONFLICT']);
    expect(errorCodes(otherCustomer)).toEqual(['CONFLICT']);
    expect(await paymentForOrder('conflict-1')).toEqual(first);
  });

  it.each(['0.00', '-1.00', '1.001', 'ten'])('refuses an amount of %s with BAD_USER_INPUT and records nothing', async (amount) => {
    const response = await gql(server.url, CHARGE, { orderId: `bad-${amount}`, customerId: 'cust-1', amount }, serviceHeaders);
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(await rowsFor(`bad-${amount}`)).toBe(0);
  });

  it('fails with SERVICE_UNAVAILABLE before recording anything when the processor is down', async () => {
    const flaky = await buildPaymentServer({ port: 0, databaseUrl, ...testAuth, processor: { ...processor, failureRate: 1 } }, quiet);
    try {
      const response = await gql(flaky.url, CHARGE, { orderId: 'flaky-1', customerId: 'cust-1', amount: '5.00' }, serviceHeaders);
      expect(errorCodes(response)).toEqual(['SERVICE_UNAVAILABLE']);
    } finally {
      await flaky.stop();
    }
    expect(await paymentForOrder('flaky-1')).toBeNull();
  });
});

describe('refunds and voids', () => {
  it('refunds a completed payment, and a repeated refund changes nothing', async () => {
    const paid = await charge('refund-1', '30.00');
    const refunded = await refund('refund-1');
    expect(refunded).toMatchObject({ id: paid.id, amount: '30.00', status: 'REFUNDED', failureReason: null });
    expect(await refund('refund-1')).toEqual(refunded);
  });

  it('leaves a declined payment as it is when asked to refund it', async () => {
    const declined = await charge('refund-declined', '1500.00');
    expect(await refund('refund-declined')).toEqual(declined);
  });

  it('voids an order before its charge arrives, so the late charge takes nothing', async () => {
    const voided = await refund('late-1');
    expect(voided).toMatchObject({ status: 'FAILED', failureReason: 'Voided before any charge' });
    const late = await charge('late-1', '20.00');
    expect(late).toEqual(voided);
    expect(await paymentForOrder('late-1')).toEqual(voided);
  });

  it('voids a charge the processor has not answered yet, and the charge reports the void', async () => {
    const inFlight = charge('in-flight-1', '15.00', 'cust-1', slowServer.url);
    await waitForStatus('in-flight-1', 'PENDING');
    const voided = await refund('in-flight-1');
    expect(voided).toMatchObject({ status: 'FAILED', failureReason: 'Voided before the processor answered', amount: '15.00' });
    expect(await inFlight).toMatchObject({ id: voided.id, status: 'FAILED' });
    expect((await paymentForOrder('in-flight-1')).status).toBe('FAILED');
  });
});

async function waitForStatus(orderId: string, status: string): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt += 1) {
    if ((await paymentForOrder(orderId))?.status === status) return;
    await sleep(5);
  }
  throw new Error(`The payment of ${orderId} never became ${status}`);
}

describe('entity resolution', () => {
  it('resolves payment and paymentStatus of 50 orders with one SELECT, null where no charge was attempted', async () => {
    for (let i = 0; i < 25; i += 1) await charge(`page-${i}`, '7.00');
    const representations = Array.from({ length: 50 }, (_, i) => ({ __typename: 'Order', id: `page-${i}` }));
    const before = await sqlStatements();
    const response = await gql(server.url, ORDER_ENTITIES, { r: representations }, admin);
    const after = await sqlStatements();
    expect(response.errors).toBeUndefined();
    expect(response.data._entities).toHaveLength(50);
    expect(response.data._entities[0]).toMatchObject({ id: 'page-0', paymentStatus: 'COMPLETED', payment: { amount: '7.00', status: 'COMPLETED' } });
    expect(response.data._entities[49]).toEqual({ id: 'page-49', paymentStatus: null, payment: null });
    expect(after - before).toBe(1);
  });

  it('takes an order UUID in either case as the same order: one charge, found and refunded by the upper-case id', async () => {
    const orderId = '6f1c2b7e-3d4a-4e5f-8a9b-0c1d2e3f4a5b';
    const upper = orderId.toUpperCase();
    const paid = await charge(orderId, '8.00');
    expect(await charge(upper, '8.00')).toEqual(paid);
    expect(await paymentForOrder(upper)).toEqual(paid);
    const entities = await gql(server.url, ORDER_ENTITIES, { r: [{ __typename: 'Order', id: upper }] }, admin);
    expect(entities.data._entities).toEqual([{ id: orderId, paymentStatus: 'COMPLETED', payment: { id: paid.id, amount: '8.00', status: 'COMPLETED' } }]);
    expect(await refund(upper)).toMatchObject({ id: paid.id, orderId, status: 'REFUNDED' });
    expect(await rowsFor(orderId)).toBe(1);
    expect(await rowsFor(upper)).toBe(0);
  });

  it("shows a customer their own payment and hides other customers' payments", async () => {
    const own = await charge('seen-a', '3.00', 'cust-a');
    const other = await charge('seen-b', '4.00', 'cust-b');
    const orders = [{ __typename: 'Order', id: 'seen-a' }, { __typename: 'Order', id: 'seen-b' }];
    const payments = [{ __typename: 'Payment', id: own.id }, { __typename: 'Payment', id: other.id }];
    const customer = bearer(await customerToken('cust-a'));

    const asCustomer = await gql(server.url, ORDER_ENTITIES, { r: orders }, customer);
    expect(asCustomer.data._entities.map((order: any) => order.paymentStatus)).toEqual(['COMPLETED', null]);
    expect(asCustomer.data._entities[1].payment).toBeNull();
    const paymentsAsCustomer = await gql(server.url, PAYMENT_ENTITIES, { r: payments }, customer);
    expect(paymentsAsCustomer.data._entities).toEqual([{ id: own.id, orderId: 'seen-a', amount: '3.00' }, null]);

    const asAdmin = await gql(server.url, ORDER_ENTITIES, { r: orders }, admin);
    expect(asAdmin.data._entities.map((order: any) => order.payment?.id)).toEqual([own.id, other.id]);
    const anonymous = await gql(server.url, ORDER_ENTITIES, { r: orders });
    expect(anonymous.data._entities.map((order: any) => order.payment)).toEqual([null, null]);
  });

  it('shows no payment for an order voided before any charge', async () => {
    await refund('voided-only');
    const response = await gql(server.url, ORDER_ENTITIES, { r: [{ __typename: 'Order', id: 'voided-only' }] }, admin);
    expect(response.data._entities).toEqual([{ id: 'voided-only', paymentStatus: null, payment: null }]);
  });

  it('resolves an unknown or malformed payment id to null', async () => {
    const response = await gql(server.url, PAYMENT_ENTITIES, { r: [{ __typename: 'Payment', id: '00000000-0000-4000-8000-000000000000' }, { __typename: 'Payment', id: 'nope' }] }, admin);
    expect(response.errors).toBeUndefined();
    expect(response.data._entities).toEqual([null, null]);
  });
});
