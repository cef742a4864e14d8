import { adminToken, customerToken } from '../../../test/support/auth.js';
import { bearer, errorCodes, gql } from '../../../test/support/graphql.js';
import { Shopper } from '../../../test/support/shop.js';
import { startSystem, type RunningSystem } from '../../../test/support/system.js';

let system: RunningSystem;
let orderUrl: string;
let alice: Record<string, string>;
let bob: Record<string, string>;
let admin: Record<string, string>;
let productId: string;

const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id status totalAmount lines { productId unitPrice lineTotal } } }`;
const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { id customerId status } } }`;

async function place(headers: Record<string, string>, quantity = 1): Promise<string> {
  const response = await gql(orderUrl, PLACE, { input: { idempotencyKey: `k-${Math.random()}`, lines: [{ productId, quantity }] } }, headers);
  expect(response.errors).toBeUndefined();
  return response.data.placeOrder.id;
}

beforeAll(async () => {
  system = await startSystem();
  orderUrl = system.order.url;
  alice = bearer(await customerToken('alice'));
  bob = bearer(await customerToken('bob'));
  admin = bearer(await adminToken());
  productId = await (await Shopper.admin(system.gatewayUrl)).createProduct({ price: '2.25', stock: 1000 });
});
afterAll(() => system.stop());

describe('the order subgraph on its own port', () => {
  it('places an order directly, pricing lines from the product subgraph snapshot', async () => {
    const response = await gql(orderUrl, PLACE, { input: { idempotencyKey: 'direct-1', lines: [{ productId, quantity: 4 }] } }, alice);
    expect(response.data.placeOrder).toMatchObject({ status: 'PAID', totalAmount: '9.00', lines: [{ productId, unitPrice: '2.25', lineTotal: '9.00' }] });
  });

  it('verifies tokens itself: no token, a forged token and a customer token each get their answer', async () => {
    expect(errorCodes(await gql(orderUrl, `{ myOrders { totalCount } }`))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await gql(orderUrl, `{ myOrders { totalCount } }`, {}, bearer('x.y.z')))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await gql(orderUrl, `{ orders { totalCount } }`, {}, alice))).toEqual(['FORBIDDEN']);
  });

  it('resolves Order entities only for their owner, an admin or the service', async () => {
    const id = await place(alice);
    const representations = [{ __typename: 'Order', id }, { __typename: 'Order', id: '00000000-0000-0000-0000-000000000000' }, { __typename: 'Order', id: 'nope' }];
    const asAlice = await gql(orderUrl, ENTITIES, { r: representations }, alice);
    expect(asAlice.data._entities).toEqual([{ id, customerId: 'alice', status: 'PAID' }, null, null]);
    expect((await gql(orderUrl, ENTITIES, { r: representations }, bob)).data._entities).toEqual([null, null, null]);
    expect((await gql(orderUrl, ENTITIES, { r: representations }, admin)).data._entities[0]).toMatchObject({ id });
  });

  it('resolves an Order entity and cancels an order by its id in upper case, as the same order', async () => {
    const id = await place(alice);
    const upper = id.toUpperCase();
    const entities = await gql(orderUrl, ENTITIES, { r: [{ __typename: 'Order', id: upper }] }, alice);
    expect(entities.data._entities).toEqual([{ id, customerId: 'alice', status: 'PAID' }]);
    const cancel = await gql(orderUrl, `mutation($id: ID!) { cancelOrder(id: $id) { id status } }`, { id: upper }, alice);
    expect(cancel.errors).toBeUndefined();
    expect(cancel.data.cancelOrder).toEqual({ id, status: 'CANCELLED' });
  });

  it('filters admin order lists by customer, status and product, newest first', async () => {
    const first = await place(bob);
    const second = await place(bob, 2);
    const list = `query($filter: OrderFilter) { orders(first: 10, filter: $filter) { totalCount edges { node { id customerId } } } }`;
    const bobs = await gql(orderUrl, list, { filter: { customerId: 'bob', status: 'PAID', productId } }, admin);
    expect(bobs.data.orders.totalCount).toBe(2);
    expect(bobs.data.orders.edges.map((edge: any) => edge.node.id)).toEqual([second, first]);
    const none = await gql(orderUrl, list, { filter: { customerId: 'bob', productId: '999999' } }, admin);
    expect(none.data.orders.totalCount).toBe(0);
  });

  it("lists only the caller's own orders in myOrders, filtered by status", async () => {
    const mine = await gql(orderUrl, `{ myOrders(status: CANCELLED) { totalCount } paid: myOrders(status: PAID) { totalCount } }`, {}, bob);
    expect(mine.data.myOrders.totalCount).toBe(0);
    expect(mine.data.paid.totalCount).toBe(2);
  });

  it('answers NOT_FOUND for cancelling an unknown or malformed order id', async () => {
    const cancel = `mutation($id: ID!) { cancelOrder(id: $id) { id } }`;
    expect(errorCodes(await gql(orderUrl, cancel, { id: '00000000-0000-0000-0000-000000000000' }, alice))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await gql(orderUrl, cancel, { id: 'not-a-uuid' }, alice))).toEqual(['NOT_FOUND']);
    expect((await gql(orderUrl, `{ order(id: "garbage") { id } }`, {}, alice)).data.order).toBeNull();
  });

  it("answers FORBIDDEN when a customer cancels someone else's order, and leaves it as it was", async () => {
    const id = await place(alice);
    const cancel = await gql(orderUrl, `mutation($id: ID!) { cancelOrder(id: $id) { id } }`, { id }, bob);
    expect(errorCodes(cancel)).toEqual(['FORBIDDEN']);
    expect((await gql(orderUrl, ENTITIES, { r: [{ __typename: 'Order', id }] }, alice)).data._entities).toEqual([{ id, customerId: 'alice', status: 'PAID' }]);
  });

  it('serves /health, /ready and Prometheus /metrics', async () => {
    const base = orderUrl.replace('/graphql', '');
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect((await fetch(`${base}/ready`)).status).toBe(200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('graphql_operation_duration_seconds_bucket');
    expect(metrics).toContain('db_sql_statements_total{service="order"}');
  });
});
