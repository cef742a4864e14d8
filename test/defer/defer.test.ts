import { randomUUID } from 'node:crypto';
import { adminToken, customerToken } from '../support/auth.js';
import { Gate } from '../support/gate.js';
import { bearer, gql } from '../support/graphql.js';
import { allPayloads, mergePayloads, requestDeferred } from '../support/incremental.js';
import { Shopper } from '../support/shop.js';
import { startSystem, type RunningSystem } from '../support/system.js';

/**
 * @defer through the gateway, against the real subgraphs. The shipping subgraph's shipment
 * lookups wait on a gate the test holds, so a part that needs shipping cannot have been resolved
 * while the gate is closed: what arrives then arrived first.
 */
let system: RunningSystem;
let customer: Shopper;
let headers: Record<string, string>;
let productId: string;
const shipping = new Gate();

const ORDER_PAGE = (shipmentFragment: string) => `query OrderPage($id: ID!${shipmentFragment.includes('$defer') ? ', $defer: Boolean! = true' : ''}) {
  order(id: $id) {
    id status totalAmount lines { quantity product { id name } }
    ${shipmentFragment}
  }
}`;
const DEFERRED = ORDER_PAGE('... @defer(label: "shipment", if: $defer) { shipment { status carrier } shippingStatus }');
const PLAIN = ORDER_PAGE('shipment { status carrier } shippingStatus');

async function placeOrder(quantity = 1): Promise<string> {
  const { data, errors } = await customer.placeOrder([{ productId, quantity }], randomUUID());
  if (errors) throw new Error(JSON.stringify(errors));
  return data.placeOrder.id as string;
}

beforeAll(async () => {
  system = await startSystem({ shipping: { holdShipmentLookups: shipping.wait } });
  const admin = await Shopper.admin(system.gatewayUrl);
  productId = await admin.createProduct({ name: 'Deferred beans', price: '4.50', stock: 100 });
  customer = await Shopper.customer(system.gatewayUrl, 'defer-customer');
  headers = bearer(await customerToken('defer-customer'));
});
afterAll(() => system.stop());
afterEach(() => shipping.open());

it('sends the order first and its shipment once shipping answers, ending with the data the same query without @defer gets', async () => {
  const id = await placeOrder();
  shipping.close();
  const answer = await requestDeferred(system.gatewayUrl, DEFERRED, { id }, headers);
  expect(answer.contentType).toBe('multipart/mixed;boundary="-";deferSpec=20220824');
  const initial = (await answer.payloads.next()).value;
  expect(initial).toEqual({ data: { order: { id, status: 'PAID', totalAmount: '4.50', lines: [{ quantity: 1, product: { id: productId, name: 'Deferred beans' } }] } }, hasNext: true });
  shipping.open();
  const rest = await allPayloads(answer);
  expect(rest).toEqual([{ incremental: [{ data: { shipment: { status: 'PENDING', carrier: null }, shippingStatus: 'PENDING' }, path: ['order'], label: 'shipment' }], hasNext: false }]);
  const plain = await gql(system.gatewayUrl, PLAIN, { id }, headers);
  expect(plain.errors).toBeUndefined();
  expect(mergePayloads([initial, ...rest])).toEqual(plain.data);
});

it('streams nothing when @defer(if:) is false: one ordinary answer with the whole order', async () => {
  const id = await placeOrder();
  const answer = await requestDeferred(system.gatewayUrl, DEFERRED, { id, defer: false }, headers);
  expect(answer.contentType).toMatch(/^application\/(graphql-response\+)?json/);
  const plain = await gql(system.gatewayUrl, PLAIN, { id }, headers);
  expect(answer.json).toEqual({ data: plain.data });
});

it('answers a client that does not accept multipart with the whole result at once', async () => {
  const id = await placeOrder();
  const deferred = await gql(system.gatewayUrl, DEFERRED, { id }, headers);
  const plain = await gql(system.gatewayUrl, PLAIN, { id }, headers);
  expect(deferred.errors).toBeUndefined();
  expect(deferred.data).toEqual(plain.data);
  expect(deferred.data.order.shipment).toEqual({ status: 'PENDING', carrier: null });
});

it('gives a deferred fragment inside a list one part per item path', async () => {
  const ids = [await placeOrder(1), await placeOrder(2)];
  const query = `query($customerId: ID!) { orders(first: 2, filter: { customerId: $customerId }) { edges { node { id ... @defer { shippingStatus } } } } }`;
  const payloads = await allPayloads(await requestDeferred(system.gatewayUrl, query, { customerId: 'defer-customer' }, bearer(await adminToken())));
  expect(payloads[0]).toEqual({ data: { orders: { edges: [{ node: { id: ids[1] } }, { node: { id: ids[0] } }] } }, hasNext: true });
  const parts = payloads.slice(1).flatMap((payload) => payload.incremental);
  expect(parts).toEqual([
    { data: { shippingStatus: 'PENDING' }, path: ['orders', 'edges', 0, 'node'] },
    { data: { shippingStatus: 'PENDING' }, path: ['orders', 'edges', 1, 'node'] },
  ]);
  expect(payloads.at(-1).hasNext).toBe(false);
});

it('defers within a mutation: placeOrder answers the order, then its shipment and product names', async () => {
  const mutation = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id status ... @defer { shipment { status } lines { product { name } } } } }`;
  const payloads = await allPayloads(await requestDeferred(system.gatewayUrl, mutation, { input: { idempotencyKey: randomUUID(), lines: [{ productId, quantity: 1 }] } }, headers));
  expect(payloads).toEqual([
    { data: { placeOrder: { id: expect.any(String), status: 'PAID' } }, hasNext: true },
    { incremental: [{ data: { shipment: { status: 'PENDING' }, lines: [{ product: { name: 'Deferred beans' } }] }, path: ['placeOrder'] }], hasNext: false },
  ]);
});

it.each([
  ['nested fragments, each after its parent', `query($id: ID!) { order(id: $id) { id ... @defer(label: "outer") { paymentStatus shipment { status ... @defer(label: "inner") { carrier } } lines { ... @defer { product { name } } } } } }`, ['outer', 'inner', undefined]],
  ['a fragment at the root', `query($id: ID!) { order(id: $id) { id } ... @defer(label: "root") { products(first: 1) { totalCount } } }`, ['root']],
  ['a deferred fragment spread with every field in it', `query($id: ID!) { order(id: $id) { ...Shipping @defer(label: "spread") } } fragment Shipping on Order { status shipment { status } }`, ['spread']],
])('%s: the parts merge into the data the whole answer has', async (_case, query, labels) => {
  const id = await placeOrder();
  const payloads = await allPayloads(await requestDeferred(system.gatewayUrl, query, { id }, headers));
  const arrived = payloads.slice(1).flatMap((payload) => payload.incremental.map((part: { label?: string }) => part.label));
  // Parts of independent fragments may come in either order; a parent's always comes first.
  expect([arrived[0], new Set(arrived)]).toEqual([labels[0], new Set(labels)]);
  expect(payloads.map((payload) => payload.hasNext)).toEqual([...labels.map(() => true), false]);
  const whole = await gql(system.gatewayUrl, query, { id }, headers);
  expect(whole.errors).toBeUndefined();
  expect(mergePayloads(payloads)).toEqual(whole.data);
});

it('applies the limits, the NUL guard and the token check to the whole operation, deferred fragments included', async () => {
  const aliases = Array.from({ length: 31 }, (_, index) => `id${index}: id`).join(' ');
  const overLimit = await requestDeferred(system.gatewayUrl, `query($id: ID!) { order(id: $id) { id ... @defer { ${aliases} } } }`, { id: randomUUID() }, headers);
  expect([overLimit.status, overLimit.json.errors[0].extensions.code]).toEqual([400, 'MAX_ALIASES_EXCEEDED']);
  const badToken = await requestDeferred(system.gatewayUrl, DEFERRED, { id: randomUUID() }, { authorization: 'Bearer not-a-token' });
  expect([badToken.status, badToken.json.errors[0].extensions.code]).toEqual([401, 'UNAUTHENTICATED']);
  const nul = await requestDeferred(system.gatewayUrl, DEFERRED, { id: 'a\u0000b' }, headers);
  expect([nul.status, nul.json.errors[0].extensions.code]).toEqual([400, 'BAD_USER_INPUT']);
});

// Last: it stops the shipping subgraph.
it('puts a failed subgraph\'s error in its own part, with its path and code, and still sends the independent part', async () => {
  const id = await placeOrder();
  await system.shipping.stop();
  const query = `query($id: ID!) { order(id: $id) { id ... @defer(label: "shipment") { shipment { status } } ... @defer(label: "products") { lines { product { name } } } } }`;
  const payloads = await allPayloads(await requestDeferred(system.gatewayUrl, query, { id }, headers));
  expect(payloads[0]).toEqual({ data: { order: { id } }, hasNext: true });
  const parts = payloads.slice(1).flatMap((payload) => payload.incremental);
  expect(parts).toHaveLength(2);
  expect(parts.find((part) => part.label === 'products')).toEqual({ data: { lines: [{ product: { name: 'Deferred beans' } }] }, path: ['order'], label: 'products' });
  const shipmentPart = parts.find((part) => part.label === 'shipment');
  expect(shipmentPart).toMatchObject({ data: { shipment: null }, path: ['order'], errors: [{ path: ['order'], extensions: { code: 'SERVICE_UNAVAILABLE' } }] });
});
