import { BENCH_PLACE_ORDER } from '../scripts/bench/scenarios.js';
import { gql, type GraphQLResponse } from './support/graphql.js';
import { unfinishedOrders } from './support/invariants.js';
import { waitFor } from './support/processes.js';
import { Shopper } from './support/shop.js';
import { startSystem, type RunningSystem } from './support/system.js';

let system: RunningSystem;
let admin: Shopper;
let customer: Shopper;
let products: string[];

/** What the bench and a storefront ask for back. */
const PLACE = `mutation Place($input: PlaceOrderInput!) {
  placeOrder(input: $input) { id status totalAmount paymentStatus shippingStatus cancellationCode } }`;

/** Orders measured together: their reservations are confirmed in one batch of this many (the
 *  batch's delay is an hour, so it goes when it is full, whatever the timing). */
const BATCH = 4;

beforeAll(async () => {
  // Recovery looks for abandoned orders once at start and then every hour, not every 10 s: a pass
  // landing inside a measurement would add its statement to the order database's count.
  system = await startSystem({ recovery: { intervalMs: 3_600_000 }, confirmBatch: { maxOrders: BATCH, delayMs: 3_600_000 } });
  admin = await Shopper.admin(system.gatewayUrl);
  customer = await Shopper.customer(system.gatewayUrl, 'counted-buyer');
  products = await Promise.all([1, 2, 3].map((i) => admin.createProduct({ name: `Counted ${i}`, price: '2.50', stock: 1000 })));
  // Warm every path once, the confirm batch's too, so a first call's one-off work is not counted.
  for (let i = 0; i < BATCH; i += 1) await customer.request(PLACE, { input: { idempotencyKey: `warm-up-${i}`, lines: [{ productId: products[0]!, quantity: 1 }] } });
  await everyOrderDone();
});
afterAll(() => system.stop());

const everyOrderDone = () => waitFor('every order to be DONE', async () => (await unfinishedOrders(system.databases.order)) === 0, 20_000, 20);

/** The statements of a batch's worth of orders, their confirmation included (it runs after the
 *  answers: counted once every order is DONE). */
async function statementsOfABatch(lines: { productId: string; quantity: number }[]) {
  const before = await system.sqlStatements();
  for (let i = 0; i < BATCH; i += 1) {
    const { data, errors } = await customer.request(PLACE, { input: { idempotencyKey: `key-${Math.random()}`, lines } });
    expect(errors).toBeUndefined();
    expect(data.placeOrder).toMatchObject({ status: 'PAID', paymentStatus: 'COMPLETED', shippingStatus: 'PENDING' });
  }
  await everyOrderDone();
  const after = await system.sqlStatements();
  return { product: after.product - before.product, payment: after.payment - before.payment, shipping: after.shipping - before.shipping, order: after.order - before.order };
}

describe('the SQL statements of one placeOrder', () => {
  it('stay at 8 per order plus 2 per confirm batch across the four databases, BEGIN and COMMIT included', async () => {
    const counted = await statementsOfABatch(products.map((productId) => ({ productId, quantity: 2 })));
    // Per order: product: reserve. Payment: claim the charge, settle it; no read of paymentStatus,
    // which placeOrder provides from the charge's answer (@provides). Shipping: create the
    // shipment, the gateway's read of shippingStatus. Order: the call counted with the order and
    // its lines, priced at CHARGE, PAID at SHIP, CONFIRM (which returns the row the answer is made
    // of). Per batch: product: the confirmations of all its orders; order: all of them DONE.
    // 8 + 2 / BATCH per order (8.5 here; 11 before batching and @provides).
    expect(counted).toEqual({ product: BATCH + 1, payment: 2 * BATCH, shipping: 2 * BATCH, order: 4 * BATCH + 1 });
    expect((counted.product + counted.payment + counted.shipping + counted.order) / BATCH).toBeLessThanOrEqual(15);
  });

  it('do not grow with the number of lines', async () => {
    const one = await statementsOfABatch([{ productId: products[0]!, quantity: 1 }]);
    const three = await statementsOfABatch(products.map((productId) => ({ productId, quantity: 1 })));
    expect(three).toEqual(one);
  });
});

describe("the bench's placeOrder", () => {
  it('is one fetch from the order subgraph: placeOrder provides paymentStatus, payment is not asked', async () => {
    const productId = products[0]!;
    const before = await system.sqlStatements();
    // Outside production, @apollo/gateway answers with the plan it ran when asked by this header.
    const { data, extensions } = (await gql(system.gatewayUrl, BENCH_PLACE_ORDER, { input: { idempotencyKey: `bench-${Math.random()}`, lines: [{ productId, quantity: 1 }] } }, {
      ...customer.headers,
      'apollo-query-plan-experimental': 'true',
    })) as GraphQLResponse & { extensions?: { __queryPlanExperimental?: string } };
    const after = await system.sqlStatements();
    expect(data.placeOrder).toMatchObject({ status: 'PAID', paymentStatus: 'COMPLETED' });
    expect(extensions?.__queryPlanExperimental?.match(/Fetch\(service: "\w+"/g)).toEqual(['Fetch(service: "order"']);
    // The saga's own statements in payment: claim the charge, settle it.
    expect(after.payment - before.payment).toBe(2);
  });
});

describe('the SQL statements of one cancelOrder of a PAID order', () => {
  it('stay at 9 in the order database: the cancel recorded, settled by shipping, compensated', async () => {
    // Its confirmation waits for a full batch: the cancel finds it PAID at CONFIRM.
    const { data } = await customer.request(PLACE, { input: { idempotencyKey: `cancel-${Math.random()}`, lines: [{ productId: products[0]!, quantity: 1 }] } });
    const before = await system.sqlStatements();
    const cancel = await customer.request(`mutation($id: ID!) { cancelOrder(id: $id) { status paymentStatus shippingStatus } }`, { id: data.placeOrder.id });
    const after = await system.sqlStatements();
    expect(cancel.data.cancelOrder).toEqual({ status: 'CANCELLED', paymentStatus: 'REFUNDED', shippingStatus: 'CANCELLED' });
    // The order read, the cancel recorded before shipping is asked, settled by its answer
    // (CANCELLED, compensation due), the saga state read (order, lines), release and refund marked
    // done, DONE, the answer's read. Recording the cancel first is the one statement crash safety costs.
    expect(after.order - before.order).toBe(9);
  });
});
