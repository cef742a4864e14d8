import { randomUUID } from 'node:crypto';
import type { Client } from 'graphql-ws';
import WebSocket from 'ws';
import { signDevToken } from '../../lib/auth.js';
import { readMetric } from '../../lib/metrics.js';
import { customerToken, TEST_JWT_SECRET } from '../support/auth.js';
import { Shopper } from '../support/shop.js';
import { subscribeMultipart, subscribeWs, wsClient, wsUrlOf } from '../support/subscriptions.js';
import { startSystem, type RunningSystem } from '../support/system.js';

let system: RunningSystem;
let customer: Shopper;
let token: string;
let orderId: string;
const clients: Client[] = [];
const TRACK = `subscription($id: ID!) { orderUpdated(id: $id) { id status } }`;

beforeAll(async () => {
  system = await startSystem({
    gateway: { subscriptions: { maxPerConnection: 2, maxPerCustomer: 3, maxConnectionsPerCustomer: 2, maxMessageBytes: 4096, keepAliveMs: 300 } },
  });
  const admin = await Shopper.admin(system.gatewayUrl);
  const productId = await admin.createProduct({ price: '2.00', stock: 100 });
  token = await customerToken('guarded');
  customer = await Shopper.customer(system.gatewayUrl, 'guarded');
  const placed = await customer.request(`mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`, { input: { idempotencyKey: randomUUID(), lines: [{ productId, quantity: 1 }] } });
  orderId = placed.data.placeOrder.id;
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
  await system.stop();
});

function client(bearer = token): Client {
  const created = wsClient(system.gatewayUrl, bearer);
  clients.push(created);
  return created;
}

/** A raw graphql-transport-ws connection: what a broken or hostile client sends. */
async function rawSocket(init: Record<string, unknown> = { authorization: `Bearer ${token}` }): Promise<{ socket: WebSocket; messages: any[]; closed: Promise<{ code: number; reason: string }> }> {
  const socket = new WebSocket(wsUrlOf(system.gatewayUrl), 'graphql-transport-ws');
  const messages: any[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })));
  socket.on('message', (data) => messages.push(JSON.parse(String(data))));
  await new Promise((resolve) => socket.once('open', resolve));
  socket.send(JSON.stringify({ type: 'connection_init', payload: init }));
  const deadline = performance.now() + 5_000;
  while (!messages.some((m) => m.type === 'connection_ack') && performance.now() < deadline && socket.readyState === WebSocket.OPEN) await new Promise((r) => setTimeout(r, 10));
  return { socket, messages, closed };
}

const codesOf = (value: unknown) => JSON.stringify(value).match(/"code":"(\w+)"/g) ?? [];

it('closes a connection with a wrong token with 4401, before any subscription', async () => {
  const { closed } = await rawSocket({ authorization: 'Bearer not-a-token' });
  expect(await closed).toEqual({ code: 4401, reason: 'The token is invalid or expired' });
});

it('refuses a subscription without a token as reading the order would be refused', async () => {
  const { received } = subscribeWs(client(''), TRACK, { id: orderId });
  await received.waitForEnd();
  expect(codesOf(received.events)).toEqual(['"code":"UNAUTHENTICATED"']);
});

it('ends a subscription with UNAUTHENTICATED when its token expires', async () => {
  const shortLived = await signDevToken(TEST_JWT_SECRET, { sub: 'guarded', ttlSeconds: 2 });
  const { received } = subscribeWs(client(shortLived), TRACK, { id: orderId });
  await received.waitFor((event) => event.data?.orderUpdated, 'the first event');
  await received.waitForEnd(10_000);
  expect(codesOf(received.events.at(-1))).toEqual(['"code":"UNAUTHENTICATED"']);
});

it('refuses a third subscription on one connection, and the first two keep running', async () => {
  const shared = client();
  const first = subscribeWs(shared, TRACK, { id: orderId });
  const second = subscribeWs(shared, TRACK, { id: orderId });
  await first.received.waitFor((event) => event.data, 'the first subscription');
  await second.received.waitFor((event) => event.data, 'the second subscription');
  const third = subscribeWs(shared, TRACK, { id: orderId });
  await third.received.waitForEnd();
  expect(codesOf(third.received.errors)).toEqual(['"code":"RATE_LIMITED"']);
  expect(first.received.completed || second.received.completed).toBe(false);
  first.stop();
  second.stop();
});

it('refuses a customer a third connection', async () => {
  const [a, b] = [await rawSocket(), await rawSocket()];
  const c = await rawSocket();
  expect((await c.closed).code).toBe(4429);
  expect(a.socket.readyState).toBe(WebSocket.OPEN);
  a.socket.close();
  b.socket.close();
});

it('answers a malformed subscribe message by closing with 4400, and a bad query with its error', async () => {
  const bad = await rawSocket();
  bad.socket.send(JSON.stringify({ id: 'q1', type: 'subscribe', payload: { query: 'subscription { orderUpdated(id: ' } }));
  const deadline = performance.now() + 5_000;
  while (!bad.messages.some((m) => m.type === 'error') && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  expect(bad.messages.find((m) => m.type === 'error').payload[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
  expect(bad.socket.readyState).toBe(WebSocket.OPEN);
  bad.socket.send(JSON.stringify({ type: 'subscribe', payload: 'nonsense' }));
  expect((await bad.closed).code).toBe(4400);
});

it('closes a connection that sends a message over the size limit with 1009', async () => {
  const big = await rawSocket();
  big.socket.send(JSON.stringify({ id: 'big', type: 'subscribe', payload: { query: `subscription { orderUpdated(id: "${'x'.repeat(5000)}") { id } }` } }));
  expect((await big.closed).code).toBe(1009);
});

it('applies the query limits: too many aliases is refused', async () => {
  const aliases = Array.from({ length: 40 }, (_, i) => `a${i}: id`).join(' ');
  const { received } = subscribeWs(client(), `subscription($id: ID!) { orderUpdated(id: $id) { ${aliases} } }`, { id: orderId });
  await received.waitForEnd();
  expect(codesOf(received.errors)).toEqual(['"code":"MAX_ALIASES_EXCEEDED"']);
});

it('drops a client that stops reading, and counts it, while other subscribers go on', async () => {
  const metrics = () => fetch(system.gatewayUrl.replace('/graphql', '/metrics')).then((response) => response.text());
  const before = readMetric(await metrics(), 'gateway_subscription_slow_readers_total', { transport: 'websocket' });
  const stalled = await rawSocket();
  stalled.socket.send(JSON.stringify({ id: 's1', type: 'subscribe', payload: { query: TRACK, variables: { id: orderId } } }));
  // It no longer reads anything, pings included.
  const tcp = (stalled.socket as unknown as { _socket: { pause(): void; resume(): void } })._socket;
  tcp.pause();
  const healthy = subscribeWs(client(), TRACK, { id: orderId });
  await healthy.received.waitFor((event) => event.data, 'an event for the healthy subscriber');
  const deadline = performance.now() + 10_000;
  while (readMetric(await metrics(), 'gateway_subscription_slow_readers_total', { transport: 'websocket' }) === before && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(readMetric(await metrics(), 'gateway_subscription_slow_readers_total', { transport: 'websocket' })).toBe(before + 1);
  // Reading again, it finds its connection gone (terminated: no close frame).
  tcp.resume();
  expect((await stalled.closed).code).toBe(1006);
  expect(healthy.received.completed).toBe(false);
  healthy.stop();
});

it('tells a plain HTTP client which transports serve subscriptions', async () => {
  const response = await customer.request(TRACK, { id: orderId });
  expect(response.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
  expect(response.errors?.[0]?.message).toMatch(/WebSocket .* multipart/);
});

it('refuses a multipart subscription with a bad token with 401', async () => {
  const { received, response } = subscribeMultipart(system.gatewayUrl, TRACK, { id: orderId }, 'not-a-token');
  expect((await response).status).toBe(401);
  await received.waitForEnd();
  expect(codesOf(received.errors)).toEqual(['"code":"UNAUTHENTICATED"']);
});
