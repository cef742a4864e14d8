import { gql, type GraphQLResponse } from './support/graphql.js';
import { Shopper } from './support/shop.js';
import { startSystem, type RunningSystem, type SystemOptions } from './support/system.js';

/**
 * placeOrder provides Order.paymentStatus (@provides): the order subgraph answers it from the
 * saga's own charge, refund and void answers instead of the gateway asking the payment subgraph.
 * Whatever the outcome, it must be what payment itself answers for the order afterwards.
 */
const PLACE = `mutation Place($input: PlaceOrderInput!) { placeOrder(input: $input) { id status cancellationCode paymentStatus } }`;
const READ = `query Read($id: ID!) { order(id: $id) { paymentStatus } }`;

type Answer = { paymentStatus: string | null; errors: { message: string; code?: string; path?: unknown[] }[] };

const running: RunningSystem[] = [];
afterAll(async () => {
  await Promise.all(running.map((system) => system.stop()));
});

async function shop(options: SystemOptions = {}) {
  const system = await startSystem(options);
  running.push(system);
  const admin = await Shopper.admin(system.gatewayUrl);
  const customer = await Shopper.customer(system.gatewayUrl, 'provided-buyer');
  return { system, admin, customer };
}

/** paymentStatus and the errors about it, with the path from the operation's field down. */
function paymentStatusIn(response: GraphQLResponse, field: string): Answer {
  const errors = ((response.errors ?? []) as { message: string; extensions?: { code?: string }; path?: unknown[] }[]).map((error) => ({
    message: error.message,
    code: error.extensions?.code,
    path: error.path?.slice(1),
  }));
  return { paymentStatus: (response.data as Record<string, { paymentStatus: string | null }>)[field]!.paymentStatus, errors };
}

/** Places an order, then reads its paymentStatus through the gateway, which takes it from payment. */
async function placeAndRead(customer: Shopper, lines: { productId: string; quantity: number }[], idempotencyKey = `key-${Math.random()}`) {
  // Outside production, @apollo/gateway answers with the plan it ran when asked by this header.
  const planned = { ...customer.headers, 'apollo-query-plan-experimental': 'true' };
  const placed = await gql(customer.url, PLACE, { input: { idempotencyKey, lines } }, planned);
  // The gateway fetched from the order subgraph alone: the value is the one placeOrder provided.
  const plan = (placed as { extensions?: { __queryPlanExperimental?: string } }).extensions?.__queryPlanExperimental;
  expect(plan?.match(/Fetch\(service: "\w+"/g)).toEqual(['Fetch(service: "order"']);
  const read = await customer.request(READ, { id: placed.data.placeOrder.id });
  return { order: placed.data.placeOrder, provided: paymentStatusIn(placed, 'placeOrder'), fromPayment: paymentStatusIn(read, 'order') };
}

describe('the paymentStatus placeOrder provides', () => {
  let customer: Shopper;
  let admin: Shopper;
  beforeAll(async () => {
    ({ customer, admin } = await shop());
  });

  it('is COMPLETED for a paid order, as payment answers', async () => {
    const productId = await admin.createProduct({ price: '4.00', stock: 10 });
    const { order, provided, fromPayment } = await placeAndRead(customer, [{ productId, quantity: 2 }]);
    expect(order.status).toBe('PAID');
    expect(provided).toEqual({ paymentStatus: 'COMPLETED', errors: [] });
    expect(provided).toEqual(fromPayment);
  });

  it('is null for an order cancelled OUT_OF_STOCK before any charge, as payment answers', async () => {
    const productId = await admin.createProduct({ price: '4.00', stock: 1 });
    const { order, provided, fromPayment } = await placeAndRead(customer, [{ productId, quantity: 5 }]);
    expect(order.cancellationCode).toBe('OUT_OF_STOCK');
    expect(provided).toEqual({ paymentStatus: null, errors: [] });
    expect(provided).toEqual(fromPayment);
  });

  it('is FAILED for a declined charge (amount over the threshold), as payment answers', async () => {
    const productId = await admin.createProduct({ price: '1200.00', stock: 3 });
    const { order, provided, fromPayment } = await placeAndRead(customer, [{ productId, quantity: 1 }]);
    expect(order.cancellationCode).toBe('PAYMENT_DECLINED');
    expect(provided).toEqual({ paymentStatus: 'FAILED', errors: [] });
    expect(provided).toEqual(fromPayment);
  });

  it('is what payment answers for an idempotent replay, which the saga does not drive', async () => {
    const productId = await admin.createProduct({ price: '4.00', stock: 10 });
    const first = await placeAndRead(customer, [{ productId, quantity: 1 }], 'replayed-key');
    const replay = await placeAndRead(customer, [{ productId, quantity: 1 }], 'replayed-key');
    expect(replay.order.id).toBe(first.order.id);
    expect(replay.provided).toEqual({ paymentStatus: 'COMPLETED', errors: [] });
    expect(replay.provided).toEqual(replay.fromPayment);
  });
});

describe('the paymentStatus placeOrder provides when payment fails', () => {
  it('is null when every charge failed and compensation voided it (PAYMENT_UNAVAILABLE), as payment answers', async () => {
    // Every charge call fails before doing anything; the void that follows leaves payment's
    // marker, which payment shows as no payment.
    const { admin, customer } = await shop({ payment: { failureRate: 1 } });
    const productId = await admin.createProduct({ price: '4.00', stock: 10 });
    const { order, provided, fromPayment } = await placeAndRead(customer, [{ productId, quantity: 1 }]);
    expect(order.cancellationCode).toBe('PAYMENT_UNAVAILABLE');
    expect(provided).toEqual({ paymentStatus: null, errors: [] });
    expect(provided).toEqual(fromPayment);
  });

  it('is what the void of a charge still in flight left (PAYMENT_UNAVAILABLE), as payment answers', async () => {
    // Every charge outlasts the saga's call limit; compensation then voids the pending charge
    // (FAILED), or refunds it if the processor's answer got there first (REFUNDED).
    const { admin, customer } = await shop({ payment: { latencyMs: 1_500 }, saga: { callTimeoutMs: 300 } });
    const productId = await admin.createProduct({ price: '4.00', stock: 10 });
    const { order, provided, fromPayment } = await placeAndRead(customer, [{ productId, quantity: 1 }]);
    expect(order.cancellationCode).toBe('PAYMENT_UNAVAILABLE');
    expect(['FAILED', 'REFUNDED']).toContain(provided.paymentStatus);
    expect(provided).toEqual(fromPayment);
  });

  it('is the error the gateway gives for payment, not a guessed null, when the payment subgraph is down', async () => {
    // The void cannot reach payment either, so the saga stops without knowing what payment holds.
    const { system, admin, customer } = await shop({ recovery: { intervalMs: 3_600_000 } });
    const productId = await admin.createProduct({ price: '4.00', stock: 10 });
    await system.payment.stop();
    const { order, provided, fromPayment } = await placeAndRead(customer, [{ productId, quantity: 1 }]);
    expect(order.cancellationCode).toBe('PAYMENT_UNAVAILABLE');
    expect(provided).toEqual({
      paymentStatus: null,
      errors: [{ message: 'The payment service is unavailable; try again shortly', code: 'SERVICE_UNAVAILABLE', path: ['paymentStatus'] }],
    });
    // The same answer, and the error names the field: the gateway's own error for a fetch that
    // failed carries no path.
    expect(fromPayment).toEqual({ paymentStatus: null, errors: [{ ...provided.errors[0], path: undefined }] });
  });
});
