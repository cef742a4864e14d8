import { randomUUID } from 'node:crypto';
import type { Client } from 'graphql-ws';
import { readMetric } from '../../lib/metrics.js';
import { customerToken } from '../support/auth.js';
import { waitFor } from '../support/processes.js';
import { Shopper } from '../support/shop.js';
import { subscribeMultipart, subscribeWs, wsClient, type Received } from '../support/subscriptions.js';
import { startSystem, type RunningSystem } from '../support/system.js';

let system: RunningSystem;
let admin: Shopper;
let customer: Shopper;
let token: string;
let productId: string;
const clients: Client[] = [];

const ORDER_UPDATED = `subscription Track($id: ID!) {
  orderUpdated(id: $id) {
    id status paymentStatus shippingStatus cancellationCode
    payment { status amount }
    shipment { status carrier trackingNumber shippedAt deliveredAt }
    lines { quantity product { name } }
  }
}`;
const SHIP = `mutation($id: ID!) { shipShipment(id: $id, carrier: "DHL", trackingNumber: "TRACK-1") { status } }`;

beforeAll(async () => {
  system = await startSystem();
  admin = await Shopper.admin(system.gatewayUrl);
  token = await customerToken('subscriber-1');
  customer = await Shopper.customer(system.gatewayUrl, 'subscriber-1');
  productId = await admin.createProduct({ name: 'Live roast', price: '6.50', stock: 100 });
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
  await system.stop();
});

async function paidOrder(): Promise<{ id: string; shipmentId: string }> {
  const { data, errors } = await customer.request(`mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id status shipment { id } } }`, {
    input: { idempotencyKey: randomUUID(), lines: [{ productId, quantity: 2 }] },
  });
  expect(errors).toBeUndefined();
  return { id: data.placeOrder.id, shipmentId: data.placeOrder.shipment.id };
}

const transports: [string, (id: string) => { received: Received; stop: () => void }][] = [
  [
    'WebSocket',
    (id) => {
      const client = wsClient(system.gatewayUrl, token);
      clients.push(client);
      return subscribeWs(client, ORDER_UPDATED, { id });
    },
  ],
  ['multipart HTTP', (id) => subscribeMultipart(system.gatewayUrl, ORDER_UPDATED, { id }, token)],
];

describe.each(transports)('orderUpdated over %s', (_name, subscribe) => {
  it('starts with the paid order and its pending shipment, then the shipped state with fields from every subgraph', async () => {
    const order = await paidOrder();
    const { received, stop } = subscribe(order.id);
    const first = await received.waitFor((event) => event.data?.orderUpdated, 'the first event');
    expect(first.data.orderUpdated).toMatchObject({
      id: order.id,
      status: 'PAID',
      paymentStatus: 'COMPLETED',
      shippingStatus: 'PENDING',
      payment: { status: 'COMPLETED', amount: '13.00' },
      shipment: { status: 'PENDING', trackingNumber: null },
      lines: [{ quantity: 2, product: { name: 'Live roast' } }],
    });
    expect((await admin.request(SHIP, { id: order.shipmentId })).errors).toBeUndefined();
    const shipped = await received.waitFor((event) => event.data?.orderUpdated.shippingStatus === 'SHIPPED', 'the shipped event');
    expect(shipped.data.orderUpdated).toMatchObject({
      status: 'PAID',
      paymentStatus: 'COMPLETED',
      shipment: { status: 'SHIPPED', carrier: 'DHL', trackingNumber: 'TRACK-1' },
      lines: [{ product: { name: 'Live roast' } }],
    });
    expect(shipped.data.orderUpdated.shipment.shippedAt).toEqual(expect.any(String));
    stop();
  });

  it('sends the cancellation with its refund', async () => {
    const order = await paidOrder();
    const { received, stop } = subscribe(order.id);
    await received.waitFor((event) => event.data?.orderUpdated.status === 'PAID', 'the paid state');
    expect((await customer.request(`mutation($id: ID!) { cancelOrder(id: $id) { status } }`, { id: order.id })).errors).toBeUndefined();
    const cancelled = await received.waitFor((event) => event.data?.orderUpdated.paymentStatus === 'REFUNDED', 'the refunded state');
    expect(cancelled.data.orderUpdated).toMatchObject({ status: 'CANCELLED', cancellationCode: 'CANCELLED_BY_CUSTOMER', payment: { status: 'REFUNDED' } });
    stop();
  });

  it('counts the open subscription and the events it was sent on /metrics, by transport', async () => {
    const transport = _name === 'WebSocket' ? 'websocket' : 'multipart';
    const metric = async (name: string) => readMetric(await (await fetch(system.gatewayUrl.replace('/graphql', '/metrics'))).text(), name, { transport });
    // The earlier tests' streams were stopped; their ends may still be on the way.
    await waitFor('the earlier subscriptions to be counted closed', async () => (await metric('gateway_subscriptions_open')) === 0);
    const eventsBefore = await metric('gateway_subscription_events_total');
    const order = await paidOrder();
    const { received, stop } = subscribe(order.id);
    await received.waitFor((event) => event.data?.orderUpdated, 'the first event');
    expect(await metric('gateway_subscriptions_open')).toBe(1);
    expect((await admin.request(SHIP, { id: order.shipmentId })).errors).toBeUndefined();
    await received.waitFor((event) => event.data?.orderUpdated.shippingStatus === 'SHIPPED', 'the shipped event');
    const sent = received.events.filter((event) => event.data?.orderUpdated).length;
    expect(await metric('gateway_subscription_events_total')).toBe(eventsBefore + sent);
    stop();
    await waitFor('the subscription to be counted closed', async () => (await metric('gateway_subscriptions_open')) === 0);
  });

  it("answers another customer's order as a missing one", async () => {
    const order = await paidOrder();
    const other = await customerToken('someone-else');
    const stranger = _name === 'WebSocket' ? subscribeWs((clients[clients.push(wsClient(system.gatewayUrl, other)) - 1])!, ORDER_UPDATED, { id: order.id }) : subscribeMultipart(system.gatewayUrl, ORDER_UPDATED, { id: order.id }, other);
    const missing = subscribe(randomUUID());
    await stranger.received.waitForEnd();
    await missing.received.waitForEnd();
    const codeOf = (received: Received) => JSON.stringify(received.events) + JSON.stringify(received.errors);
    expect(codeOf(stranger.received)).toContain('NOT_FOUND');
    expect(codeOf(stranger.received).replace(order.id, 'ID')).toBe(codeOf(missing.received).replace(/[0-9a-f-]{36}/g, 'ID'));
  });
});
