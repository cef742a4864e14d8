import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { waitFor } from '../support/processes.js';
import type { Client } from 'graphql-ws';
import type { RunningServer } from '../../lib/http.js';
import { createLogger } from '../../lib/log.js';
import { readOrderConfig } from '../../subgraphs/order/src/config.js';
import { buildOrderServer } from '../../subgraphs/order/src/server.js';
import { customerToken, TEST_JWT_SECRET, TEST_SERVICE_CREDENTIAL } from '../support/auth.js';
import { Shopper } from '../support/shop.js';
import { subscribeMultipart, subscribeWs, wsClient } from '../support/subscriptions.js';
import { startSystem, type RunningSystem } from '../support/system.js';

let system: RunningSystem;
let admin: Shopper;
let customer: Shopper;
let token: string;
let productId: string;
const clients: Client[] = [];
const restarted: RunningServer[] = [];
const TRACK = `subscription($id: ID!) { orderUpdated(id: $id) { id status shippingStatus shipment { trackingNumber } } }`;

beforeAll(async () => {
  system = await startSystem();
  admin = await Shopper.admin(system.gatewayUrl);
  token = await customerToken('lifecycle');
  customer = await Shopper.customer(system.gatewayUrl, 'lifecycle');
  productId = await admin.createProduct({ price: '3.00', stock: 100 });
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
  await system.stop();
  await Promise.all(restarted.map((server) => server.stop()));
});

async function paidOrder() {
  const { data } = await customer.request(`mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id shipment { id } } }`, {
    input: { idempotencyKey: randomUUID(), lines: [{ productId, quantity: 1 }] },
  });
  return { id: data.placeOrder.id as string, shipmentId: data.placeOrder.shipment.id as string };
}

it('an order subgraph restart does not silently stop the stream: the change made meanwhile arrives once it is back', async () => {
  const order = await paidOrder();
  const client = wsClient(system.gatewayUrl, token);
  clients.push(client);
  const { received } = subscribeWs(client, TRACK, { id: order.id });
  await received.waitFor((event) => event.data?.orderUpdated.shippingStatus === 'PENDING', 'the pending shipment');
  await system.order.stop();
  // Shipped while the order subgraph is away: its announcement is lost, the stream must not be.
  await admin.request(`mutation($id: ID!) { shipShipment(id: $id, carrier: "DHL", trackingNumber: "WHILE-AWAY") { status } }`, { id: order.shipmentId });
  const env = {
    PORT: String(system.order.port),
    DATABASE_URL: system.databases.order,
    PRODUCT_URL: system.product.url,
    PAYMENT_URL: system.payment.url,
    SHIPPING_URL: system.shipping.url,
    JWT_SECRET: TEST_JWT_SECRET,
    SERVICE_CREDENTIAL: TEST_SERVICE_CREDENTIAL,
  };
  restarted.push(await buildOrderServer(readOrderConfig(env), createLogger('test', 'silent')));
  const shipped = await received.waitFor((event) => event.data?.orderUpdated.shippingStatus === 'SHIPPED', 'the state after the restart', 30_000);
  expect(shipped.data.orderUpdated.shipment.trackingNumber).toBe('WHILE-AWAY');
  expect(received.completed).toBe(false);
  // One event per change: the resumed stream's first state is sent only because it differs.
  expect(received.events.map((event) => event.data.orderUpdated.shippingStatus)).toEqual(['PENDING', 'SHIPPED']);
});

it("a lost change-feed connection is opened again: later changes still arrive", async () => {
  const order = await paidOrder();
  const client = wsClient(system.gatewayUrl, token);
  clients.push(client);
  const { received } = subscribeWs(client, TRACK, { id: order.id });
  await received.waitFor((event) => event.data?.orderUpdated.shippingStatus === 'PENDING', 'the pending shipment');
  const database = new pg.Client({ connectionString: system.databases.order });
  await database.connect();
  try {
    const killed = await database.query(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'order-change-feed'`);
    expect(killed.rowCount).toBeGreaterThan(0);
    await waitFor('the feed to listen again', async () => (await database.query(`select 1 from pg_stat_activity where application_name = 'order-change-feed'`)).rowCount! > 0, 10_000);
  } finally {
    await database.end();
  }
  await admin.request(`mutation($id: ID!) { shipShipment(id: $id, carrier: "DHL", trackingNumber: "AFTER-LOSS") { status } }`, { id: order.shipmentId });
  const shipped = await received.waitFor((event) => event.data?.orderUpdated.shippingStatus === 'SHIPPED', 'the change after the loss');
  expect(shipped.data.orderUpdated.shipment.trackingNumber).toBe('AFTER-LOSS');
});

it('stopping the gateway completes every stream cleanly: a complete message and a normal close over WebSocket, the closing boundary over HTTP', async () => {
  const order = await paidOrder();
  let closeCode: number | undefined;
  const client = wsClient(system.gatewayUrl, token, { onClosed: (event) => (closeCode = (event as { code: number }).code) });
  clients.push(client);
  const ws = subscribeWs(client, TRACK, { id: order.id });
  const http = subscribeMultipart(system.gatewayUrl, TRACK, { id: order.id }, token);
  await ws.received.waitFor((event) => event.data, 'the WebSocket stream');
  await http.received.waitFor((event) => event.data, 'the multipart stream');
  await system.gateway.stop();
  await ws.received.waitForEnd(5_000);
  await http.received.waitForEnd(5_000);
  expect(ws.received.errors).toBeUndefined();
  expect(http.received.errors).toBeUndefined();
  // A normal close: the lazy client closes itself (1000) once its last subscription completed, or
  // the gateway's 1001 "Going away" reaches it first; never a reset (1006).
  expect([1000, 1001]).toContain(closeCode);
});
