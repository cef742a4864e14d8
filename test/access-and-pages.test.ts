import { bearer, errorCodes, gql } from './support/graphql.js';
import { Shopper } from './support/shop.js';
import { startSystem, type RunningSystem } from './support/system.js';

let system: RunningSystem;
let admin: Shopper;
let alice: Shopper;
let mallory: Shopper;
let aliceOrderId: string;

beforeAll(async () => {
  system = await startSystem();
  admin = await Shopper.admin(system.gatewayUrl);
  alice = await Shopper.customer(system.gatewayUrl, 'alice');
  mallory = await Shopper.customer(system.gatewayUrl, 'mallory');
  const productId = await admin.createProduct({ price: '3.00', stock: 100 });
  aliceOrderId = (await alice.placeOrder([{ productId, quantity: 1 }])).data.placeOrder.id;
});
afterAll(() => system.stop());

describe('who may do what', () => {
  it('lets anonymous callers browse products but nothing about orders', async () => {
    const anonymous = Shopper.anonymous(system.gatewayUrl);
    expect((await anonymous.request(`{ products(first: 5) { totalCount } }`)).data.products.totalCount).toBeGreaterThan(0);
    expect(errorCodes(await anonymous.request(`{ myOrders { totalCount } }`))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await anonymous.placeOrder([{ productId: '1', quantity: 1 }]))).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses a bad token instead of treating it as anonymous', async () => {
    const response = await gql(system.gatewayUrl, `{ products { totalCount } }`, {}, bearer('forged.token.value'));
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses admin mutations to customers with FORBIDDEN', async () => {
    const response = await alice.request(`mutation { adjustStock(id: "1", delta: 5) { stock } }`);
    expect(errorCodes(response)).toEqual(['FORBIDDEN']);
    expect(errorCodes(await alice.request(`{ orders { totalCount } }`))).toEqual(['FORBIDDEN']);
  });

  it('hides one customer order from another, who reads it as null and is FORBIDDEN to cancel it', async () => {
    expect((await mallory.request(`query($id: ID!) { order(id: $id) { id } }`, { id: aliceOrderId })).data.order).toBeNull();
    const cancel = await mallory.request(`mutation($id: ID!) { cancelOrder(id: $id) { status } }`, { id: aliceOrderId });
    expect(errorCodes(cancel)).toEqual(['FORBIDDEN']);
    const unknown = await mallory.request(`mutation($id: ID!) { cancelOrder(id: $id) { status } }`, { id: '00000000-0000-4000-8000-000000000000' });
    expect(errorCodes(unknown)).toEqual(['NOT_FOUND']);
    const own = await alice.request(`query($id: ID!) { order(id: $id) { status } }`, { id: aliceOrderId });
    expect(own.data.order.status).toBe('PAID');
    expect((await admin.request(`query($id: ID!) { order(id: $id) { customerId } }`, { id: aliceOrderId })).data.order.customerId).toBe('alice');
  });

  it('does not expose the internal saga operations through the gateway', async () => {
    const response = await admin.request(`mutation { releaseStock(orderId: "x") { status } }`);
    expect(errorCodes(response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('masks internal errors: no stack, SQL or hostname reaches the client', async () => {
    await system.payment.stop();
    const response = await alice.request(`query($id: ID!) { order(id: $id) { id paymentStatus } }`, { id: aliceOrderId });
    const text = JSON.stringify(response.errors);
    expect(text).not.toMatch(/localhost|127\.0\.0\.1|ECONNREFUSED|stack|select /i);
    expect(response.data.order.id).toBe(aliceOrderId);
  });
});
