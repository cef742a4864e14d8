import { randomUUID } from 'node:crypto';
import { readMetric } from '../lib/metrics.js';
import { rows } from '../scripts/invariants.js';
import { serviceHeaders } from './support/auth.js';
import { errorCodes, gql } from './support/graphql.js';
import { checkSettledInvariants } from './support/invariants.js';
import { Shopper } from './support/shop.js';
import { startSystem, type RunningSystem } from './support/system.js';

let system: RunningSystem;
let admin: Shopper;
let customer: Shopper;
let productId: string;
const stock = new Map<string, number>();

const SHIPMENT = 'id orderId status carrier trackingNumber shippedAt deliveredAt createdAt updatedAt';
const ORDER = `query($id: ID!) { order(id: $id) { status paymentStatus shippingStatus shipment { ${SHIPMENT} } } }`;
const SHIP = `mutation($id: ID!, $carrier: String!, $tracking: String!) { shipShipment(id: $id, carrier: $carrier, trackingNumber: $tracking) { ${SHIPMENT} } }`;
const DELIVER = `mutation($id: ID!) { deliverShipment(id: $id) { ${SHIPMENT} } }`;
const CANCEL = `mutation($id: ID!) { cancelOrder(id: $id) { status paymentStatus shippingStatus shipment { status } } }`;
const CREATE = `mutation($orderId: ID!, $customerId: ID!) { createShipment(orderId: $orderId, customerId: $customerId) { id status } }`;
const CANCEL_SHIPMENT = `mutation($orderId: ID!) { cancelShipment(orderId: $orderId) { id status } }`;

beforeAll(async () => {
  system = await startSystem();
  admin = await Shopper.admin(system.gatewayUrl);
  customer = await Shopper.customer(system.gatewayUrl, 'shipping-buyer');
  productId = await admin.createProduct({ price: '4.00', stock: 100 });
  stock.set(productId, 100);
});
afterAll(() => system.stop());

async function paidOrder(): Promise<{ id: string; shipmentId: string }> {
  const { data, errors } = await customer.request(
    `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id status shippingStatus shipment { id status orderId } } }`,
    { input: { idempotencyKey: randomUUID(), lines: [{ productId, quantity: 1 }] } },
  );
  expect(errors).toBeUndefined();
  return { id: data.placeOrder.id, shipmentId: data.placeOrder.shipment.id };
}

const shippingRows = (orderId: string) => rows<{ status: string }>(system.databases.shipping, 'select status from shipment where order_id = $1', [orderId]);

describe('a paid order and its shipment', () => {
  it("answers placeOrder with the order's PENDING shipment, created once whatever is retried", async () => {
    const input = { idempotencyKey: 'ship-once', lines: [{ productId, quantity: 2 }] };
    const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id status shippingStatus shipment { id orderId status carrier trackingNumber shippedAt } } }`;
    const first = await customer.request(PLACE, { input });
    const again = await customer.request(PLACE, { input });
    expect(first.data.placeOrder).toMatchObject({ status: 'PAID', shippingStatus: 'PENDING' });
    expect(first.data.placeOrder.shipment).toEqual({ id: expect.any(String), orderId: first.data.placeOrder.id, status: 'PENDING', carrier: null, trackingNumber: null, shippedAt: null });
    expect(again.data.placeOrder).toEqual(first.data.placeOrder);
    expect(await shippingRows(first.data.placeOrder.id)).toHaveLength(1);
  });

  it('gives one shipment to racing creates of one order', async () => {
    const orderId = randomUUID();
    const answers = await Promise.all(Array.from({ length: 8 }, () => gql(system.shipping.url, CREATE, { orderId, customerId: 'racer' }, serviceHeaders)));
    const ids = new Set(answers.map((answer) => answer.data.createShipment.id));
    expect(ids.size).toBe(1);
    expect(await shippingRows(orderId)).toEqual([{ status: 'PENDING' }]);
  });

  it('shows a customer only their own shipment', async () => {
    const { id } = await paidOrder();
    const stranger = await Shopper.customer(system.gatewayUrl, 'someone-else');
    expect((await customer.request(ORDER, { id })).data.order.shipment.status).toBe('PENDING');
    expect((await stranger.request(ORDER, { id })).data.order).toBeNull();
    // Asked of the subgraph the way the gateway asks, for an order that is not theirs.
    const entity = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { shippingStatus shipment { id } } } }`;
    const direct = await gql(system.shipping.url, entity, { r: [{ __typename: 'Order', id }] }, stranger.headers);
    expect(direct.data._entities).toEqual([{ shippingStatus: null, shipment: null }]);
  });
});

describe('an admin moving a shipment', () => {
  it('ships a PENDING shipment with its carrier and tracking number, then delivers it', async () => {
    const { id, shipmentId } = await paidOrder();
    const shipped = await admin.request(SHIP, { id: shipmentId, carrier: ' DHL ', tracking: 'JD0142' });
    expect(shipped.errors).toBeUndefined();
    expect(shipped.data.shipShipment).toMatchObject({ status: 'SHIPPED', carrier: 'DHL', trackingNumber: 'JD0142', shippedAt: expect.any(String), deliveredAt: null });
    const delivered = await admin.request(DELIVER, { id: shipmentId });
    expect(delivered.data.deliverShipment).toMatchObject({ status: 'DELIVERED', carrier: 'DHL', deliveredAt: expect.any(String) });
    const seen = await customer.request(ORDER, { id });
    expect(seen.data.order).toMatchObject({ shippingStatus: 'DELIVERED', shipment: { trackingNumber: 'JD0142' } });
  });

  it('refuses every other transition with CONFLICT', async () => {
    const { shipmentId } = await paidOrder();
    expect(errorCodes(await admin.request(DELIVER, { id: shipmentId }))).toEqual(['CONFLICT']);
    await admin.request(SHIP, { id: shipmentId, carrier: 'UPS', tracking: '1Z999' });
    const twice = await admin.request(SHIP, { id: shipmentId, carrier: 'UPS', tracking: '1Z999' });
    expect(errorCodes(twice)).toEqual(['CONFLICT']);
    expect(twice.errors![0]!.message).toMatch(/is SHIPPED: only a PENDING shipment can become SHIPPED/);
    await admin.request(DELIVER, { id: shipmentId });
    expect(errorCodes(await admin.request(DELIVER, { id: shipmentId }))).toEqual(['CONFLICT']);
    expect(errorCodes(await admin.request(SHIP, { id: shipmentId, carrier: 'UPS', tracking: '1Z999' }))).toEqual(['CONFLICT']);
  });

  it('lets exactly one of four racing ships win', async () => {
    const { shipmentId } = await paidOrder();
    const answers = await Promise.all(['A', 'B', 'C', 'D'].map((tracking) => admin.request(SHIP, { id: shipmentId, carrier: 'GLS', tracking })));
    expect(answers.filter((answer) => !answer.errors)).toHaveLength(1);
    expect(answers.flatMap(errorCodes)).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT']);
  });

  it('answers NOT_FOUND for an unknown shipment and BAD_USER_INPUT for an empty or oversized carrier or tracking number', async () => {
    const { id, shipmentId } = await paidOrder();
    expect(errorCodes(await admin.request(SHIP, { id: randomUUID(), carrier: 'DHL', tracking: '1' }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await admin.request(DELIVER, { id: 'not-a-uuid' }))).toEqual(['NOT_FOUND']);
    for (const [carrier, tracking] of [['  ', '1'], ['DHL', ''], ['x'.repeat(101), '1'], ['DHL', '9'.repeat(101)]]) {
      expect(errorCodes(await admin.request(SHIP, { id: shipmentId, carrier, tracking }))).toEqual(['BAD_USER_INPUT']);
    }
    expect(await shippingRows(id)).toEqual([{ status: 'PENDING' }]);
  });

  it('refuses a caller without a token (UNAUTHENTICATED) and a customer (FORBIDDEN)', async () => {
    const { id, shipmentId } = await paidOrder();
    expect(errorCodes(await Shopper.anonymous(system.gatewayUrl).request(SHIP, { id: shipmentId, carrier: 'DHL', tracking: '1' }))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await customer.request(SHIP, { id: shipmentId, carrier: 'DHL', tracking: '1' }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await customer.request(DELIVER, { id: shipmentId }))).toEqual(['FORBIDDEN']);
    expect(await shippingRows(id)).toEqual([{ status: 'PENDING' }]);
  });

  it('keeps the internal operations to callers with the service credential, on the subgraph itself too', async () => {
    const orderId = randomUUID();
    const direct = await gql(system.shipping.url, CREATE, { orderId, customerId: 'intruder' }, customer.headers);
    expect(errorCodes(direct)).toEqual(['FORBIDDEN']);
    expect(errorCodes(await gql(system.shipping.url, CANCEL_SHIPMENT, { orderId }, admin.headers))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await admin.request(CANCEL_SHIPMENT, { orderId }))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(await shippingRows(orderId)).toEqual([]);
  });
});

describe('cancelling an order with a shipment', () => {
  it('cancels a PENDING shipment with the order, then refunds and puts the stock back', async () => {
    const before = await admin.stockOf(productId);
    const { id } = await paidOrder();
    const { data, errors } = await customer.request(CANCEL, { id });
    expect(errors).toBeUndefined();
    expect(data.cancelOrder).toEqual({ status: 'CANCELLED', paymentStatus: 'REFUNDED', shippingStatus: 'CANCELLED', shipment: { status: 'CANCELLED' } });
    expect(await admin.stockOf(productId)).toBe(before);
  });

  it.each(['SHIPPED', 'DELIVERED'])('refuses with CONFLICT once the shipment is %s, and changes nothing', async (status) => {
    const { id, shipmentId } = await paidOrder();
    await admin.request(SHIP, { id: shipmentId, carrier: 'DHL', tracking: 'T-1' });
    if (status === 'DELIVERED') await admin.request(DELIVER, { id: shipmentId });
    const before = await admin.stockOf(productId);
    const refused = await customer.request(CANCEL, { id });
    expect(errorCodes(refused)).toEqual(['CONFLICT']);
    expect(refused.errors![0]!.message).toMatch(new RegExp(`has already shipped \\(its shipment is ${status}\\)`));
    expect((await admin.request(ORDER, { id })).data.order).toMatchObject({ status: 'PAID', paymentStatus: 'COMPLETED', shippingStatus: status });
    expect(await admin.stockOf(productId)).toBe(before);
  });

  it('never leaves a shipment for a cancelled order: a create arriving after the cancel does nothing', async () => {
    const { id } = await paidOrder();
    // As if the saga's create had been delayed: the shipment row goes, the cancel marks the order.
    await rows(system.databases.shipping, 'delete from shipment where order_id = $1', [id]);
    expect((await customer.request(CANCEL, { id })).data.cancelOrder.status).toBe('CANCELLED');
    const late = await gql(system.shipping.url, CREATE, { orderId: id, customerId: 'shipping-buyer' }, serviceHeaders);
    expect(late.data.createShipment.status).toBe('CANCELLED');
    // The marker is not a shipment the order ever had: it shows none.
    expect((await customer.request(ORDER, { id })).data.order).toMatchObject({ status: 'CANCELLED', shippingStatus: null, shipment: null });
  });

  it('ends every order of a cancel-versus-create race CANCELLED with no live shipment', async () => {
    const orders = await Promise.all(Array.from({ length: 6 }, () => paidOrder()));
    await rows(system.databases.shipping, 'delete from shipment where order_id = any($1)', [orders.map(({ id }) => id)]);
    await Promise.all(
      orders.flatMap(({ id }) => [customer.request(CANCEL, { id }), gql(system.shipping.url, CREATE, { orderId: id, customerId: 'shipping-buyer' }, serviceHeaders)]),
    );
    for (const { id } of orders) {
      expect((await admin.request(ORDER, { id })).data.order.status).toBe('CANCELLED');
      expect(await shippingRows(id)).toEqual([{ status: 'CANCELLED' }]);
    }
    expect((await checkSettledInvariants(system.databases, stock, 'shipping-buyer')).violations).toEqual([]);
  });
  it('gives concurrent cancels of one paid order, by its customer and an admin, one cancellation and one refund', async () => {
    const { id } = await paidOrder();
    const cancellations = async () => {
      const text = await (await fetch(system.order.url.replace('/graphql', '/metrics'))).text();
      return ['CANCELLED_BY_CUSTOMER', 'CANCELLED_BY_ADMIN'].reduce((sum, outcome) => sum + readMetric(text, 'order_saga_outcomes_total', { outcome }), 0);
    };
    const before = { cancellations: await cancellations(), stock: await admin.stockOf(productId) };
    const answers = await Promise.all([customer, admin, customer, admin, customer, admin].map((caller) => caller.request(CANCEL, { id })));
    for (const answer of answers) expect(answer.data.cancelOrder).toEqual({ status: 'CANCELLED', paymentStatus: 'REFUNDED', shippingStatus: 'CANCELLED', shipment: { status: 'CANCELLED' } });
    expect(await cancellations()).toBe(before.cancellations + 1);
    expect(await rows(system.databases.payment, 'select status from payment where order_id = $1', [id])).toEqual([{ status: 'REFUNDED' }]);
    expect(await admin.stockOf(productId)).toBe(before.stock + 1);
  });
});
