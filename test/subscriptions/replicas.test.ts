import { randomUUID } from 'node:crypto';
import type { Client } from 'graphql-ws';
import { customerToken, TEST_JWT_SECRET, TEST_SERVICE_CREDENTIAL } from '../support/auth.js';
import { bearer, gql } from '../support/graphql.js';
import { spawnService, type ServiceProcess } from '../support/processes.js';
import { Shopper } from '../support/shop.js';
import { subscribeMultipart, subscribeWs, wsClient } from '../support/subscriptions.js';
import { startSystem, type RunningSystem } from '../support/system.js';

/*
 * Gateway A and order replica A run in this process (the test system); gateway B and order replica
 * B are processes of their own, and B's gateway talks only to B's order replica. A change made
 * through A must reach a subscriber of B: the only path is the order database's NOTIFY.
 */
let system: RunningSystem;
let orderB: ServiceProcess;
let gatewayB: ServiceProcess;
const spawned: ServiceProcess[] = [];
const clients: Client[] = [];
let admin: Shopper;
let customer: Shopper;
let token: string;
let productId: string;

const TRACK = `subscription($id: ID!) { orderUpdated(id: $id) { id status paymentStatus shippingStatus shipment { status trackingNumber } lines { product { name } } } }`;
const MINE = `subscription { myOrderUpdates { id status paymentStatus lines { product { name } } } }`;
const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id status shipment { id } } }`;

const secrets = { JWT_SECRET: TEST_JWT_SECRET, SERVICE_CREDENTIAL: TEST_SERVICE_CREDENTIAL };

beforeAll(async () => {
  system = await startSystem({ recovery: { graceMs: 300, intervalMs: 200 } });
  const peers = { PRODUCT_URL: system.product.url, PAYMENT_URL: system.payment.url, SHIPPING_URL: system.shipping.url };
  orderB = await spawnService('order', { ...secrets, ...peers, DATABASE_URL: system.databases.order, LOG_LEVEL: 'warn' });
  gatewayB = await spawnService('gateway', { ...secrets, ...peers, ORDER_URL: orderB.url, GATEWAY_WORKERS: '1', LOG_LEVEL: 'warn' });
  spawned.push(orderB, gatewayB);
  admin = await Shopper.admin(system.gatewayUrl);
  token = await customerToken('replica-watcher');
  customer = await Shopper.customer(system.gatewayUrl, 'replica-watcher');
  productId = await admin.createProduct({ name: 'Replicated roast', price: '8.00', stock: 500 });
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
  await Promise.all(spawned.map((service) => service.kill()));
  await system.stop();
});

async function placeThroughA(): Promise<{ id: string; shipmentId: string }> {
  const { data, errors } = await customer.request(PLACE, { input: { idempotencyKey: randomUUID(), lines: [{ productId, quantity: 1 }] } });
  expect(errors).toBeUndefined();
  return { id: data.placeOrder.id, shipmentId: data.placeOrder.shipment.id };
}

function wsB(): Client {
  const client = wsClient(gatewayB.url, token);
  clients.push(client);
  return client;
}

it.each([
  ['WebSocket', (id: string) => subscribeWs(wsB(), TRACK, { id })],
  ['multipart HTTP', (id: string) => subscribeMultipart(gatewayB.url, TRACK, { id }, token)],
])('a shipment moved and an order cancelled through gateway A reach a %s subscriber of gateway B', async (_transport, subscribe) => {
  const shipped = await placeThroughA();
  const cancelled = await placeThroughA();
  const watchShipped = subscribe(shipped.id);
  const watchCancelled = subscribe(cancelled.id);
  await watchShipped.received.waitFor((event) => event.data?.orderUpdated.shippingStatus === 'PENDING', 'the pending shipment');
  await watchCancelled.received.waitFor((event) => event.data?.orderUpdated.status === 'PAID', 'the paid order');

  await admin.request(`mutation($id: ID!) { shipShipment(id: $id, carrier: "UPS", trackingNumber: "1Z-B") { status } }`, { id: shipped.shipmentId });
  await customer.request(`mutation($id: ID!) { cancelOrder(id: $id) { status } }`, { id: cancelled.id });

  const event = await watchShipped.received.waitFor((e) => e.data?.orderUpdated.shippingStatus === 'SHIPPED', 'the shipped event');
  expect(event.data.orderUpdated).toMatchObject({ status: 'PAID', paymentStatus: 'COMPLETED', shipment: { status: 'SHIPPED', trackingNumber: '1Z-B' }, lines: [{ product: { name: 'Replicated roast' } }] });
  const refunded = await watchCancelled.received.waitFor((e) => e.data?.orderUpdated.paymentStatus === 'REFUNDED', 'the refund');
  expect(refunded.data.orderUpdated).toMatchObject({ status: 'CANCELLED', shipment: { status: 'CANCELLED' } });
  watchShipped.stop();
  watchCancelled.stop();
});

it("recovery finishing an order its replica died with is an event on the customer's stream of another gateway", async () => {
  // A third order replica, charging through a payment replica that takes 3 s to answer: killed
  // while it charges, it leaves the order mid-saga for recovery (order replica A's loop) to finish.
  const slowPayment = await spawnService('payment', { ...secrets, DATABASE_URL: system.databases.payment, PAYMENT_LATENCY_MS: '3000', LOG_LEVEL: 'warn' });
  const doomed = await spawnService('order', {
    ...secrets,
    PRODUCT_URL: system.product.url,
    PAYMENT_URL: slowPayment.url,
    SHIPPING_URL: system.shipping.url,
    DATABASE_URL: system.databases.order,
    RECOVERY_GRACE_MS: '3600000',
    LOG_LEVEL: 'warn',
  });
  spawned.push(slowPayment, doomed);
  const mine = subscribeWs(wsB(), MINE);
  // The stream starts empty: an order placed first, and seen, shows it is in place.
  const first = await placeThroughA();
  await mine.received.waitFor((event) => event.data?.myOrderUpdates.id === first.id, 'an order placed through gateway A');
  // Straight to the replica (a subgraph takes a customer's token too), so it is the one that dies.
  const placing = gql(doomed.url, `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`, {
    input: { idempotencyKey: randomUUID(), lines: [{ productId, quantity: 1 }] },
  }, bearer(token)).catch(() => undefined);
  const pending = await mine.received.waitFor((event) => event.data?.myOrderUpdates.status === 'PENDING', 'the new order, pending');
  const orderId = pending.data.myOrderUpdates.id as string;
  await doomed.kill('SIGKILL');
  await placing;
  const finished = await mine.received.waitFor((event) => event.data?.myOrderUpdates.id === orderId && event.data.myOrderUpdates.status !== 'PENDING', 'the order finished by recovery', 30_000);
  expect(finished.data.myOrderUpdates).toMatchObject({ id: orderId, lines: [{ product: { name: 'Replicated roast' } }] });
  expect(['PAID', 'CANCELLED']).toContain(finished.data.myOrderUpdates.status);
  // What the stream ends with is what a query says now.
  const now = await customer.request(`query($id: ID!) { order(id: $id) { status paymentStatus } }`, { id: orderId });
  await mine.received.waitFor((event) => event.data?.myOrderUpdates.id === orderId && event.data.myOrderUpdates.paymentStatus === now.data.order.paymentStatus, 'the final state');
  expect(mine.received.events.filter((event) => event.data?.myOrderUpdates.id === orderId).at(-1).data.myOrderUpdates).toMatchObject(now.data.order);
  mine.stop();
  await slowPayment.kill();
});
