import { errorCodes } from './support/graphql.js';
import { checkSettledInvariants } from './support/invariants.js';
import { ORDER_FIELDS, Shopper } from './support/shop.js';
import { startSystem, type RunningSystem } from './support/system.js';

let system: RunningSystem;
let admin: Shopper;
let alice: Shopper;

beforeAll(async () => {
  system = await startSystem();
  admin = await Shopper.admin(system.gatewayUrl);
  alice = await Shopper.customer(system.gatewayUrl, 'alice');
});
afterAll(() => system.stop());

describe('placeOrder through the gateway', () => {
  it('takes 2 of 10 units, ends PAID with total, line products and payment COMPLETED', async () => {
    const productId = await admin.createProduct({ name: 'Teapot', price: '19.99', stock: 10 });
    const { data, errors } = await alice.placeOrder([{ productId, quantity: 2 }]);
    expect(errors).toBeUndefined();
    expect(data.placeOrder).toMatchObject({
      customerId: 'alice',
      status: 'PAID',
      totalAmount: '39.98',
      cancellationCode: null,
      paymentStatus: 'COMPLETED',
      payment: { amount: '39.98', status: 'COMPLETED' },
      lines: [{ productId, quantity: 2, unitPrice: '19.99', lineTotal: '39.98', product: { id: productId, name: 'Teapot', stock: 8 } }],
    });
    expect(await admin.stockOf(productId)).toBe(8);
  });

  it('cancels an order over the decline threshold as PAYMENT_DECLINED and puts the stock back', async () => {
    const productId = await admin.createProduct({ name: 'Golden kettle', price: '1499.00', stock: 3 });
    const { data } = await alice.placeOrder([{ productId, quantity: 1 }]);
    expect(data.placeOrder).toMatchObject({ status: 'CANCELLED', cancellationCode: 'PAYMENT_DECLINED', paymentStatus: 'FAILED', totalAmount: '1499.00' });
    expect(data.placeOrder.cancellationReason).toMatch(/declined/i);
    expect(await admin.stockOf(productId)).toBe(3);
  });

  it('cancels an order for 20 of 8 units as OUT_OF_STOCK and leaves the stock at 8', async () => {
    const productId = await admin.createProduct({ price: '2.00', stock: 8 });
    const { data } = await alice.placeOrder([{ productId, quantity: 20 }]);
    expect(data.placeOrder).toMatchObject({ status: 'CANCELLED', cancellationCode: 'OUT_OF_STOCK', paymentStatus: null, totalAmount: '0.00' });
    expect(data.placeOrder.cancellationReason).toContain(`Product ${productId} is out of stock`);
    expect(await admin.stockOf(productId)).toBe(8);
  });

  it('cancels the whole multi-line order when one line is short, reserving nothing', async () => {
    const plenty = await admin.createProduct({ price: '1.00', stock: 50 });
    const scarce = await admin.createProduct({ price: '1.00', stock: 1 });
    const { data } = await alice.placeOrder([{ productId: plenty, quantity: 5 }, { productId: scarce, quantity: 2 }]);
    expect(data.placeOrder).toMatchObject({ status: 'CANCELLED', cancellationCode: 'OUT_OF_STOCK' });
    expect(await admin.stockOf(plenty)).toBe(50);
    expect(await admin.stockOf(scarce)).toBe(1);
  });

  it('declines an order whose total is more than can be charged and puts the stock back', async () => {
    const productId = await admin.createProduct({ name: 'Private jet', price: '1000000.00', stock: 10_000 });
    const { data } = await alice.placeOrder([{ productId, quantity: 10_000 }]);
    expect(data.placeOrder).toMatchObject({ status: 'CANCELLED', cancellationCode: 'PAYMENT_DECLINED', paymentStatus: null });
    expect(data.placeOrder.cancellationReason).toContain('largest amount that can be charged');
    expect(await admin.stockOf(productId)).toBe(10_000);
  });

  it('records an order for an unknown product and cancels it as PRODUCT_NOT_FOUND', async () => {
    const { data } = await alice.placeOrder([{ productId: '987654321', quantity: 1 }]);
    expect(data.placeOrder).toMatchObject({ status: 'CANCELLED', cancellationCode: 'PRODUCT_NOT_FOUND', lines: [{ productId: '987654321', product: null }] });
  });

  it('takes the largest bigint as a well-formed product id: the order is recorded and cancelled as PRODUCT_NOT_FOUND', async () => {
    const largest = '9223372036854775807';
    expect((await alice.request(`query($id: ID!) { product(id: $id) { id } }`, { id: largest })).data.product).toBeNull();
    const { data, errors } = await alice.placeOrder([{ productId: largest, quantity: 1 }]);
    expect(errors).toBeUndefined();
    expect(data.placeOrder).toMatchObject({ status: 'CANCELLED', cancellationCode: 'PRODUCT_NOT_FOUND', lines: [{ productId: largest, product: null }] });
  });

  it('merges lines for the same product', async () => {
    const productId = await admin.createProduct({ price: '3.00', stock: 10 });
    const { data } = await alice.placeOrder([{ productId, quantity: 1 }, { productId, quantity: 2 }]);
    expect(data.placeOrder).toMatchObject({ status: 'PAID', totalAmount: '9.00', lines: [{ productId, quantity: 3 }] });
  });

  it('merges two lines of 6000 into one of 12000, beyond the per-line 10,000, and sells it when there is stock', async () => {
    const productId = await admin.createProduct({ price: '0.05', stock: 20_000 });
    const { data, errors } = await alice.placeOrder([{ productId, quantity: 6_000 }, { productId, quantity: 6_000 }]);
    expect(errors).toBeUndefined();
    expect(data.placeOrder).toMatchObject({ status: 'PAID', totalAmount: '600.00', paymentStatus: 'COMPLETED', lines: [{ productId, quantity: 12_000, lineTotal: '600.00' }] });
    expect(await admin.stockOf(productId)).toBe(8_000);
  });

  it('records merged lines of 6000 + 6000 against 11,000 in stock and cancels the order as OUT_OF_STOCK', async () => {
    const productId = await admin.createProduct({ price: '0.05', stock: 11_000 });
    const { data, errors } = await alice.placeOrder([{ productId, quantity: 6_000 }, { productId, quantity: 6_000 }]);
    expect(errors).toBeUndefined();
    expect(data.placeOrder).toMatchObject({ status: 'CANCELLED', cancellationCode: 'OUT_OF_STOCK', lines: [{ productId, quantity: 12_000 }] });
    expect(await admin.stockOf(productId)).toBe(11_000);
  });

  it('records the largest order there can be, 50 lines of 10,000 for one product, as one line of 500,000', async () => {
    const productId = await admin.createProduct({ price: '0.01', stock: 10 });
    const { data, errors } = await alice.placeOrder(Array.from({ length: 50 }, () => ({ productId, quantity: 10_000 })));
    expect(errors).toBeUndefined();
    expect(data.placeOrder).toMatchObject({ status: 'CANCELLED', cancellationCode: 'OUT_OF_STOCK', lines: [{ productId, quantity: 500_000 }] });
  });

  it('returns the same order for a repeated idempotency key, reserving and charging once', async () => {
    const productId = await admin.createProduct({ price: '5.00', stock: 10 });
    const first = await alice.placeOrder([{ productId, quantity: 2 }], 'retry-me');
    const again = await alice.placeOrder([{ productId, quantity: 2 }], 'retry-me');
    expect(again.data.placeOrder).toEqual(first.data.placeOrder);
    expect(await admin.stockOf(productId)).toBe(8);
    const conflict = await alice.placeOrder([{ productId, quantity: 3 }], 'retry-me');
    expect(errorCodes(conflict)).toEqual(['IDEMPOTENCY_CONFLICT']);
    expect(await admin.stockOf(productId)).toBe(8);
  });

  it('counts the idempotency key in characters: 128 emoji (256 UTF-16 units) are a valid key', async () => {
    const productId = await admin.createProduct({ price: '1.00', stock: 10 });
    const key = '🧾'.repeat(128);
    const first = await alice.placeOrder([{ productId, quantity: 1 }], key);
    expect(first.errors).toBeUndefined();
    expect(first.data.placeOrder.status).toBe('PAID');
    const again = await alice.placeOrder([{ productId, quantity: 1 }], key);
    expect(again.data.placeOrder.id).toBe(first.data.placeOrder.id);
    expect(await admin.stockOf(productId)).toBe(9);
  });

  it('gives 8 racing requests with one idempotency key one order, one reservation and one charge', async () => {
    const productId = await admin.createProduct({ price: '4.00', stock: 10 });
    const racer = await Shopper.customer(system.gatewayUrl, 'same-key-racer');
    const responses = await Promise.all(Array.from({ length: 8 }, () => racer.placeOrder([{ productId, quantity: 1 }], 'racing-key')));
    const ids = new Set(responses.map((response) => response.data.placeOrder.id));
    expect(ids.size).toBe(1);
    expect(responses.every((response) => response.data.placeOrder.status === 'PAID')).toBe(true);
    expect(await admin.stockOf(productId)).toBe(9);
    // Over all data: every order finished and consistent with its payment and reservation; this
    // customer has one order, paid (so charged, and a payment is unique per order), one unit sold.
    expect((await checkSettledInvariants(system.databases, new Map([[productId, 10]]))).violations).toEqual([]);
    expect(await checkSettledInvariants(system.databases, new Map([[productId, 10]]), 'same-key-racer')).toEqual({ orders: 1, paid: 1, cancelled: 0, unitsSold: 1, violations: [] });
  });

  it('sells exactly the 5 units in stock when 30 customers race for them', async () => {
    const productId = await admin.createProduct({ price: '7.00', stock: 5 });
    const buyers = await Promise.all(Array.from({ length: 30 }, (_, i) => Shopper.customer(system.gatewayUrl, `racer-${i}`)));
    const responses = await Promise.all(buyers.map((buyer) => buyer.placeOrder([{ productId, quantity: 1 }])));
    const orders = responses.map((response) => response.data.placeOrder);
    expect(orders.filter((order) => order.status === 'PAID')).toHaveLength(5);
    expect(orders.filter((order) => order.status === 'CANCELLED' && order.cancellationCode === 'OUT_OF_STOCK')).toHaveLength(25);
    expect(await admin.stockOf(productId)).toBe(0);
    expect((await checkSettledInvariants(system.databases, new Map([[productId, 5]]))).violations).toEqual([]);
    expect(await checkSettledInvariants(system.databases, new Map([[productId, 5]]), 'racer-')).toEqual({ orders: 30, paid: 5, cancelled: 25, unitsSold: 5, violations: [] });
  });
});

describe('customer ids (the token subject, stored as is)', () => {
  it('places and reads back an order for the longest subject, 500 four-byte characters', async () => {
    // The worst case for the (customer, idempotency key) index: every character 4 bytes in UTF-8.
    const sub = Array.from({ length: 500 }, (_, i) => String.fromCodePoint(0x1f300 + ((i * 7919) % 700))).join('');
    expect([...sub]).toHaveLength(500);
    const longNamed = await Shopper.customer(system.gatewayUrl, sub);
    const productId = await admin.createProduct({ price: '2.00', stock: 5 });
    const longestKey = Array.from({ length: 128 }, (_, i) => String.fromCodePoint(0x1f600 + ((i * 31) % 80))).join('');
    const placed = await longNamed.placeOrder([{ productId, quantity: 1 }], longestKey);
    expect(placed.errors).toBeUndefined();
    expect(placed.data.placeOrder).toMatchObject({ customerId: sub, status: 'PAID', paymentStatus: 'COMPLETED' });
    const read = await longNamed.request(`query($id: ID!) { order(id: $id) { customerId status payment { status } } myOrders { totalCount } }`, { id: placed.data.placeOrder.id });
    expect(read.data).toEqual({ order: { customerId: sub, status: 'PAID', payment: { status: 'COMPLETED' } }, myOrders: { totalCount: 1 } });
    const byAdmin = await admin.request(`query($c: ID!) { orders(filter: { customerId: $c }) { totalCount } }`, { c: sub });
    expect(byAdmin.data.orders.totalCount).toBe(1);
  });

  it('refuses a token whose subject is only whitespace or over 500 characters as UNAUTHENTICATED', async () => {
    for (const sub of [' \t ', 'x'.repeat(501)]) {
      const refused = await Shopper.customer(system.gatewayUrl, sub);
      expect(errorCodes(await refused.request(`{ myOrders { totalCount } }`))).toEqual(['UNAUTHENTICATED']);
    }
  });
});

describe('cancelOrder', () => {
  it('refunds a paid order and restores its stock', async () => {
    const productId = await admin.createProduct({ price: '12.50', stock: 4 });
    const placed = (await alice.placeOrder([{ productId, quantity: 3 }])).data.placeOrder;
    const { data } = await alice.request(`mutation($id: ID!) { cancelOrder(id: $id, reason: "changed my mind") { ${ORDER_FIELDS} } }`, { id: placed.id });
    expect(data.cancelOrder).toMatchObject({
      status: 'CANCELLED',
      cancellationCode: 'CANCELLED_BY_CUSTOMER',
      cancellationReason: 'changed my mind',
      paymentStatus: 'REFUNDED',
    });
    expect(await admin.stockOf(productId)).toBe(4);
  });

  it('returns a cancelled order unchanged when cancelled again', async () => {
    const productId = await admin.createProduct({ price: '1.00', stock: 4 });
    const placed = (await alice.placeOrder([{ productId, quantity: 1 }])).data.placeOrder;
    const cancel = `mutation($id: ID!) { cancelOrder(id: $id) { status cancellationCode updatedAt } }`;
    const first = await alice.request(cancel, { id: placed.id });
    const second = await alice.request(cancel, { id: placed.id });
    expect(second.data.cancelOrder).toEqual(first.data.cancelOrder);
    expect(await admin.stockOf(productId)).toBe(4);
  });

  it('answers a cancel with the cancelled order when the same operation first read it through a placeOrder retry', async () => {
    const productId = await admin.createProduct({ price: '2.00', stock: 3 });
    const input = { idempotencyKey: `read-then-cancel-${Math.random()}`, lines: [{ productId, quantity: 1 }] };
    const placed = (await alice.placeOrder(input.lines, input.idempotencyKey)).data.placeOrder;
    const { data, errors } = await alice.request(
      `mutation($input: PlaceOrderInput!, $id: ID!) {
        a: placeOrder(input: $input) { id status }
        b: cancelOrder(id: $id) { status cancellationCode paymentStatus }
      }`,
      { input, id: placed.id },
    );
    expect(errors).toBeUndefined();
    expect(data).toEqual({
      a: { id: placed.id, status: 'PAID' },
      b: { status: 'CANCELLED', cancellationCode: 'CANCELLED_BY_CUSTOMER', paymentStatus: 'REFUNDED' },
    });
    expect(await admin.stockOf(productId)).toBe(3);
  });

  it('reads and cancels an order by its id in upper case, answering with the id in lower case', async () => {
    const productId = await admin.createProduct({ price: '6.00', stock: 2 });
    const placed = (await alice.placeOrder([{ productId, quantity: 2 }])).data.placeOrder;
    const upper = placed.id.toUpperCase();
    const read = await alice.request(`query($id: ID!) { order(id: $id) { id status paymentStatus } }`, { id: upper });
    expect(read.errors).toBeUndefined();
    expect(read.data.order).toEqual({ id: placed.id, status: 'PAID', paymentStatus: 'COMPLETED' });
    const cancel = await alice.request(`mutation($id: ID!) { cancelOrder(id: $id) { id status cancellationCode paymentStatus } }`, { id: upper });
    expect(cancel.errors).toBeUndefined();
    expect(cancel.data.cancelOrder).toEqual({ id: placed.id, status: 'CANCELLED', cancellationCode: 'CANCELLED_BY_CUSTOMER', paymentStatus: 'REFUNDED' });
    expect(await admin.stockOf(productId)).toBe(2);
  });

  it('lets an admin cancel a customer order as CANCELLED_BY_ADMIN', async () => {
    const productId = await admin.createProduct({ price: '1.00', stock: 2 });
    const placed = (await alice.placeOrder([{ productId, quantity: 2 }])).data.placeOrder;
    const { data } = await admin.request(`mutation($id: ID!) { cancelOrder(id: $id) { status cancellationCode paymentStatus } }`, { id: placed.id });
    expect(data.cancelOrder).toEqual({ status: 'CANCELLED', cancellationCode: 'CANCELLED_BY_ADMIN', paymentStatus: 'REFUNDED' });
    expect(await admin.stockOf(productId)).toBe(2);
  });
});

describe('bad input (contract placeOrder rule 1)', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['no lines', { idempotencyKey: 'k', lines: [] }],
    ['51 lines', { idempotencyKey: 'k', lines: Array.from({ length: 51 }, (_, i) => ({ productId: String(i + 1), quantity: 1 })) }],
    ['quantity 0', { idempotencyKey: 'k', lines: [{ productId: '1', quantity: 0 }] }],
    ['negative quantity', { idempotencyKey: 'k', lines: [{ productId: '1', quantity: -2 }] }],
    ['quantity 10001', { idempotencyKey: 'k', lines: [{ productId: '1', quantity: 10_001 }] }],
    ['empty idempotency key', { idempotencyKey: '', lines: [{ productId: '1', quantity: 1 }] }],
    ['129-character idempotency key', { idempotencyKey: 'k'.repeat(129), lines: [{ productId: '1', quantity: 1 }] }],
    ['idempotency key of 129 emoji', { idempotencyKey: '🧾'.repeat(129), lines: [{ productId: '1', quantity: 1 }] }],
    ['malformed product id', { idempotencyKey: 'k', lines: [{ productId: 'abc', quantity: 1 }] }],
    ['product id beyond bigint', { idempotencyKey: 'k', lines: [{ productId: '9223372036854775808', quantity: 1 }] }],
    ['product id with a leading zero', { idempotencyKey: 'k', lines: [{ productId: '01', quantity: 1 }] }],
    ['product id 0', { idempotencyKey: 'k', lines: [{ productId: '0', quantity: 1 }] }],
    ['quantity not an integer', { idempotencyKey: 'k', lines: [{ productId: '1', quantity: 1.5 }] }],
    ['quantity as a string', { idempotencyKey: 'k', lines: [{ productId: '1', quantity: 'many' }] }],
    ['missing lines', { idempotencyKey: 'k' }],
  ];

  it.each(cases)('refuses %s with BAD_USER_INPUT and records nothing', async (_name, input) => {
    const bob = await Shopper.customer(system.gatewayUrl, `bob-${Math.random()}`);
    const response = await bob.request(`mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`, { input });
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    const mine = await bob.request(`{ myOrders { totalCount } }`);
    expect(mine.data.myOrders.totalCount).toBe(0);
  });
});
