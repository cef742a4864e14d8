import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { bearer, gql } from '../support/graphql.js';
import { captureLogs, linesWithSecrets, type LogLine } from '../support/log-capture.js';
import { waitFor } from '../support/processes.js';
import { ORDER_FIELDS, Shopper } from '../support/shop.js';
import { startSystem, type RunningSystem } from '../support/system.js';

const PLACE = `mutation Place($input: PlaceOrderInput!) { placeOrder(input: $input) { ${ORDER_FIELDS} } }`;
const MY_ORDERS = `query MyOrders { myOrders(first: 5) { edges { node { id status paymentStatus shippingStatus lines { product { name } } } } } }`;

const logs = captureLogs();
// Secrets only this run knows, so finding one in a line can only mean it leaked there.
const databasePassword = `db-pw-${randomBytes(12).toString('hex')}`;
const gatewaySecret = `gateway-secret-${randomBytes(12).toString('hex')}`;
const tokens: string[] = [];
let system: RunningSystem;
let customer: Shopper;
let productId: string;

/** A PostgreSQL role with a password of its own owns the run's databases. */
async function roleWithPassword(): Promise<string> {
  const server = new URL(process.env.TEST_POSTGRES_URL!);
  const role = `logs_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: `${process.env.TEST_POSTGRES_URL}/postgres` });
  await client.connect();
  try {
    await client.query(`create role ${role} login createdb password '${databasePassword}'`);
  } finally {
    await client.end();
  }
  return `postgres://${role}:${databasePassword}@${server.host}`;
}

/** A shopper whose token the secrets check below looks for. */
function remembered(shopper: Shopper): Shopper {
  tokens.push(shopper.headers.authorization!.slice('Bearer '.length));
  return shopper;
}

/** The request's lines, once the gateway's own (written when its answer has gone) is there. */
async function linesOf(requestId: string): Promise<LogLine[]> {
  return waitFor(`the gateway's line of ${requestId}`, async () => {
    const mine = logs.lines.filter((line) => line.requestId === requestId);
    return mine.some((line) => line.name === 'gateway' && line.msg === 'graphql request') && mine;
  });
}

beforeAll(async () => {
  system = await startSystem({ logs: logs.stream, logLevel: 'debug', postgresUrl: await roleWithPassword(), gatewaySecret });
  productId = await remembered(await Shopper.admin(system.gatewayUrl)).createProduct({ price: '8.00', stock: 20 });
  customer = remembered(await Shopper.customer(system.gatewayUrl, 'logs-customer'));
});
afterAll(() => system?.stop());

describe('logs', () => {
  it('tag every line of one request, in the gateway and every subgraph it reaches, with the caller\'s x-request-id; the saga\'s lines name the order', async () => {
    const requestId = `trace-${randomBytes(6).toString('hex')}`;
    const response = await fetch(system.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': requestId, ...customer.headers },
      body: JSON.stringify({ query: PLACE, variables: { input: { idempotencyKey: 'logs-1', lines: [{ productId, quantity: 2 }] } } }),
    });
    expect(response.headers.get('x-request-id')).toBe(requestId);
    const order = ((await response.json()) as { data: { placeOrder: { id: string; status: string } } }).data.placeOrder;
    expect(order.status).toBe('PAID');

    const lines = await linesOf(requestId);
    expect(new Set(lines.map((line) => line.name))).toEqual(new Set(['gateway', 'order', 'product', 'payment', 'shipping']));
    const requestLine = (service: string) => lines.filter((line) => line.name === service && line.msg === 'graphql request');
    expect(requestLine('gateway')).toEqual([expect.objectContaining({ operation: 'Place', type: 'mutation', status: 200, durationMs: expect.any(Number) })]);
    // The gateway names each subgraph fetch after the client's operation.
    expect(requestLine('order')).toEqual([expect.objectContaining({ operation: 'Place__order__0', type: 'mutation', status: 200 })]);
    // The confirmation is not the request's: it goes later, in a batch of many orders' (ConfirmMany).
    expect(requestLine('product').map((line) => line.operation)).toEqual(expect.arrayContaining(['Reserve']));
    expect(requestLine('product').map((line) => line.operation)).not.toContain('Confirm');
    expect(requestLine('payment').map((line) => line.operation)).toEqual(expect.arrayContaining(['Charge']));
    expect(requestLine('shipping').map((line) => line.operation)).toEqual(['CreateShipment']);
    expect(lines).toContainEqual(expect.objectContaining({ name: 'order', orderId: order.id, msg: 'order paid', status: 'PAID' }));
    // Every saga line of the order carries the order id.
    expect(lines.filter((line) => line.name === 'order' && line.msg === 'saga step').every((line) => line.orderId === order.id)).toBe(true);
  });

  it('make a request id at the gateway when the caller sends none, answer it, and pass it to every subgraph', async () => {
    const response = await fetch(system.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...customer.headers },
      body: JSON.stringify({ query: MY_ORDERS }),
    });
    expect(response.status).toBe(200);
    const requestId = response.headers.get('x-request-id')!;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const lines = await linesOf(requestId);
    expect(new Set(lines.map((line) => line.name))).toEqual(new Set(['gateway', 'order', 'product', 'payment', 'shipping']));
  });

  it('record refusals and errors by code in the request line', async () => {
    const refused = await gql(system.gatewayUrl, MY_ORDERS, {}, { authorization: 'Bearer not-a-token', 'x-request-id': 'refused-1' });
    expect(refused.status).toBe(401);
    const [line] = await linesOf('refused-1');
    expect(line).toMatchObject({ name: 'gateway', msg: 'graphql request', status: 401, errors: ['UNAUTHENTICATED'] });
    // Anonymous, the request passes the gateway and the order subgraph refuses it.
    await gql(system.gatewayUrl, MY_ORDERS, {}, { 'x-request-id': 'refused-2' });
    expect((await linesOf('refused-2')).map((entry) => [entry.name, entry.errors])).toEqual([
      ['order', ['UNAUTHENTICATED']],
      ['gateway', ['UNAUTHENTICATED']],
    ]);
  });

  it('never carry a token, the JWT secret, the service credential, the gateway secret or the database password, whatever happens', async () => {
    // A tour of what the services log: a declined payment, stock running out, a refund, bad tokens,
    // a subgraph going away mid-saga (compensation warnings) and the errors the gateway then sees.
    const expensive = await remembered(await Shopper.admin(system.gatewayUrl, 'logs-admin')).createProduct({ price: '1500.00', stock: 5 });
    const shopper = remembered(await Shopper.customer(system.gatewayUrl, 'logs-tour'));
    expect((await shopper.placeOrder([{ productId: expensive, quantity: 1 }])).data.placeOrder.cancellationCode).toBe('PAYMENT_DECLINED');
    expect((await shopper.placeOrder([{ productId, quantity: 500 }])).data.placeOrder.cancellationCode).toBe('OUT_OF_STOCK');
    const paid = (await shopper.placeOrder([{ productId, quantity: 1 }])).data.placeOrder;
    await shopper.request(`mutation Cancel($id: ID!) { cancelOrder(id: $id) { status paymentStatus } }`, { id: paid.id });
    const forged = `${tokens[0]!.slice(0, -4)}AAAA`;
    await gql(system.gatewayUrl, MY_ORDERS, {}, bearer(forged));
    await gql(system.order.url, MY_ORDERS, {}, bearer(tokens[0]!));
    await system.payment.stop();
    expect((await shopper.placeOrder([{ productId, quantity: 1 }])).data.placeOrder.cancellationCode).toBe('PAYMENT_UNAVAILABLE');
    const partial = await shopper.request(MY_ORDERS);
    expect(partial.errors?.length).toBeGreaterThan(0);

    expect(logs.lines.some((line) => line.level >= 40 && line.err !== undefined)).toBe(true);
    expect(logs.raw.some((line) => line.includes(':***@'))).toBe(true);
    expect(linesWithSecrets(logs.raw, [databasePassword, gatewaySecret, forged, ...tokens])).toEqual([]);
  });
});
