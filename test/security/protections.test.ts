import { DEFAULT_LIMITS } from '../../gateway/src/limits.js';
import { rows } from '../../scripts/invariants.js';
import { adminToken, customerToken, serviceHeaders } from '../support/auth.js';
import { bearer, errorCodes, gql } from '../support/graphql.js';
import { waitFor } from '../support/processes.js';
import { Shopper } from '../support/shop.js';
import { startSystem, type RunningSystem, type SystemOptions } from '../support/system.js';

const running: RunningSystem[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((system) => system.stop()));
});

async function system(options: SystemOptions = {}) {
  const started = await startSystem(options);
  running.push(started);
  const admin = await Shopper.admin(started.gatewayUrl);
  const productId = await admin.createProduct({ price: '5.00', stock: 100 });
  return { started, admin, productId };
}

const INTERNAL: [keyof Pick<RunningSystem, 'product' | 'payment' | 'shipping'>, string][] = [
  ['product', 'mutation { reserveStock(orderId: "x", lines: [{ productId: "1", quantity: 1 }]) { status } }'],
  ['product', 'mutation { releaseStock(orderId: "x") { status } }'],
  ['product', 'mutation { confirmReservation(orderId: "x") { status } }'],
  ['payment', 'mutation { chargePayment(orderId: "x", customerId: "c", amount: "1.00") { id } }'],
  ['payment', 'mutation { refundPayment(orderId: "x") { id } }'],
  ['payment', '{ paymentForOrder(orderId: "x") { id } }'],
  ['shipping', 'mutation { createShipment(orderId: "x", customerId: "c") { id } }'],
  ['shipping', 'mutation { cancelShipment(orderId: "x") { id } }'],
  ['shipping', '{ shipmentForOrder(orderId: "x") { id } }'],
];

describe('subgraph ports', () => {
  it('refuse the internal saga operations to anyone without the service credential, admins included', async () => {
    const { started } = await system();
    const callers = [{}, bearer(await customerToken('c')), bearer(await adminToken())];
    for (const [subgraph, query] of INTERNAL) {
      for (const headers of callers) expect(errorCodes(await gql(started[subgraph].url, query, {}, headers))).toEqual(['FORBIDDEN']);
    }
  });

  it('answer only the gateway and the saga when GATEWAY_SECRET is set', async () => {
    const { started, productId } = await system({ gatewaySecret: 'shared-between-gateway-and-subgraphs' });
    const direct = await gql(started.product.url, '{ products { totalCount } }');
    expect(direct.status).toBe(403);
    expect(errorCodes(direct)).toEqual(['FORBIDDEN']);
    expect(errorCodes(await gql(started.order.url, '{ myOrders { totalCount } }', {}, bearer(await customerToken('c'))))).toEqual(['FORBIDDEN']);
    expect((await gql(started.product.url, '{ products { totalCount } }', {}, serviceHeaders)).data.products.totalCount).toBe(1);
    const customer = await Shopper.customer(started.gatewayUrl, 'through-the-gateway');
    expect((await customer.placeOrder([{ productId, quantity: 1 }])).data.placeOrder).toMatchObject({ status: 'PAID', paymentStatus: 'COMPLETED' });
  });
});

describe('gateway protections', () => {
  it('accepts operations exactly at every limit', async () => {
    const { started, admin } = await system({ security: { limits: { maxDepth: 10, maxAliases: 30, maxRootFields: 10, maxDirectives: 20, maxTokens: 2_000, maxCost: 10_000, maxBatch: 10, maxIntrospectionDepth: 25 } } });
    const atLimit: [string, string][] = [
      ['30 aliases', `{ products { ${Array.from({ length: 30 }, (_, i) => `a${i}: totalCount`).join(' ')} } }`],
      ['10 root fields', `{ ${Array.from({ length: 10 }, (_, i) => `p${i}: product(id: "1") { id }`).join(' ')} }`],
      ['20 directives', `{ products { ${Array.from({ length: 20 }, () => 'totalCount @include(if: true)').join(' ')} } }`],
      ['the deepest legitimate operation', '{ orders(first: 100) { edges { node { id totalAmount paymentStatus payment { amount } lines { quantity unitPrice lineTotal product { name price stock } } } } } }'],
      ["GraphiQL's introspection query", (await import('graphql')).getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true })],
    ];
    for (const [, query] of atLimit) expect((await admin.request(query)).errors).toBeUndefined();
    const batch = await fetch(started.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...admin.headers },
      body: JSON.stringify(Array.from({ length: 10 }, () => ({ query: '{ __typename }' }))),
    });
    expect(batch.status).toBe(200);
    expect(((await batch.json()) as unknown[]).length).toBe(10);
  });

  it('gives a repeated operation the same verdict every time, though it is worked out once per text and operation', async () => {
    const { started, admin } = await system({ security: { limits: { ...DEFAULT_LIMITS, maxDepth: 4, maxTokens: 60, maxRootFields: 2 } } });
    const chosen = async (query: string, operationName: string) => {
      const response = await fetch(started.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...admin.headers }, body: JSON.stringify({ query, operationName }) });
      return errorCodes({ status: response.status, ...((await response.json()) as object) });
    };
    const deep = '{ orders(first: 1) { edges { node { lines { product { name } } } } } }';
    const tokens = `{ ${Array.from({ length: 20 }, (_, i) => `t${i}: __typename`).join(' ')} }`;
    // Two operations in one document: the root-field verdict belongs to the one chosen.
    const both = 'query Few { a: __typename } query Many { a: __typename b: __typename c: __typename }';
    for (let round = 0; round < 3; round += 1) {
      expect(errorCodes(await admin.request(deep))).toEqual(['MAX_DEPTH_EXCEEDED']);
      expect(errorCodes(await admin.request(tokens))).toEqual(['MAX_TOKENS_EXCEEDED']);
      expect(await chosen(both, 'Few')).toEqual([]);
      expect(await chosen(both, 'Many')).toEqual(['MAX_ROOT_FIELDS_EXCEEDED']);
    }
  });

  it('limits placeOrder per customer with RATE_LIMITED and a Retry-After', async () => {
    const { started, productId } = await system({ placeOrderRateLimit: { points: 3, windowSeconds: 60 } });
    const eager = await Shopper.customer(started.gatewayUrl, 'eager');
    for (let i = 0; i < 3; i += 1) expect((await eager.placeOrder([{ productId, quantity: 1 }])).data.placeOrder.status).toBe('PAID');
    const refused = await fetch(started.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...eager.headers },
      body: JSON.stringify({ query: `mutation { placeOrder(input: { idempotencyKey: "fourth", lines: [{ productId: "${productId}", quantity: 1 }] }) { id } }` }),
    });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.json()) as any).errors[0].extensions.code).toBe('RATE_LIMITED');
    // Each placement counts, however the operation hides it: the fourth of four is refused.
    const sneaky = await Shopper.customer(started.gatewayUrl, 'sneaky');
    const hidden = (alias: string) => `${alias}: placeOrder(input: { idempotencyKey: "${alias}", lines: [{ productId: "${productId}", quantity: 1 }] }) { id }`;
    const throughFragments = await sneaky.request(`mutation { ... on Mutation { ${['a', 'b'].map(hidden).join(' ')} } ...More } fragment More on Mutation { ${['c', 'd'].map(hidden).join(' ')} }`);
    expect(errorCodes(throughFragments)).toEqual(['RATE_LIMITED']);
    const other = await Shopper.customer(started.gatewayUrl, 'patient');
    expect((await other.placeOrder([{ productId, quantity: 1 }])).data.placeOrder.status).toBe('PAID');
  });

  it('counts a bad placeOrder input against the limit, and records no order for a refused call', async () => {
    const { started, productId } = await system({ placeOrderRateLimit: { points: 3, windowSeconds: 60 } });
    const clumsy = await Shopper.customer(started.gatewayUrl, 'clumsy');
    expect(errorCodes(await clumsy.placeOrder([{ productId, quantity: 0 }]))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await clumsy.placeOrder([]))).toEqual(['BAD_USER_INPUT']);
    expect((await clumsy.placeOrder([{ productId, quantity: 1 }])).data.placeOrder.status).toBe('PAID');
    expect(errorCodes(await clumsy.placeOrder([{ productId, quantity: 1 }], 'refused'))).toEqual(['RATE_LIMITED']);
    expect(errorCodes(await clumsy.placeOrder([{ productId, quantity: 0 }]))).toEqual(['RATE_LIMITED']);
    const { data } = await clumsy.request(`{ myOrders(first: 10) { edges { node { status } } } }`);
    expect(data.myOrders.edges).toEqual([{ node: { status: 'PAID' } }]);
  });

  it('stops a request at the timeout with REQUEST_TIMEOUT, and a retry with the same key finds the order', async () => {
    const { started, productId } = await system({ security: { requestTimeoutMs: 400 }, payment: { latencyMs: 1_500 } });
    const customer = await Shopper.customer(started.gatewayUrl, 'impatient');
    const first = await fetch(started.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...customer.headers },
      body: JSON.stringify({ query: `mutation { placeOrder(input: { idempotencyKey: "slow", lines: [{ productId: "${productId}", quantity: 1 }] }) { id } }` }),
    });
    expect(first.status).toBe(504);
    expect(((await first.json()) as any).errors[0].extensions.code).toBe('REQUEST_TIMEOUT');
    // The saga goes on behind the timed-out request; the retry returns the order it placed.
    const settled = await waitFor(
      'the timed-out order to settle',
      async () => {
        const retry = await customer.placeOrder([{ productId, quantity: 1 }], 'slow');
        return retry.data.placeOrder.status !== 'PENDING' && retry.data.placeOrder;
      },
      30_000,
      250,
    );
    expect(settled).toMatchObject({ status: 'PAID' });
  });

  it('does not cut a request off when the wall clock steps forward: its deadline runs on the monotonic clock', async () => {
    const { started, productId } = await system({ payment: { latencyMs: 300 } });
    const customer = await Shopper.customer(started.gatewayUrl, 'clock-step');
    const wallClock = Date.now;
    // As a VM's clock sync can: a minute forward while the charge is under way (the gateway runs in this process).
    const step = setTimeout(() => (Date.now = () => wallClock() + 60_000), 100);
    try {
      const placed = await customer.placeOrder([{ productId, quantity: 1 }]);
      expect(placed.errors).toBeUndefined();
      expect(placed.data.placeOrder).toMatchObject({ status: 'PAID' });
    } finally {
      clearTimeout(step);
      Date.now = wallClock;
    }
  });

  it('keeps a same-key retry waiting for the first request across a wall-clock step: the wait runs on the monotonic clock', async () => {
    const { started, productId } = await system({ payment: { latencyMs: 1_000 } });
    const customer = await Shopper.customer(started.gatewayUrl, 'clock-step-follower');
    const key = 'follower-clock-step';
    const first = customer.placeOrder([{ productId, quantity: 1 }], key);
    // The retry goes once the first request has recorded its order, so it waits on that order's charge.
    const recorded = () => rows(started.databases.order, 'select 1 from customer_order where idempotency_key = $1', [key]);
    await waitFor('the first request to record its order', async () => (await recorded()).length > 0, 30_000, 20);
    const wallClock = Date.now;
    // The order subgraph runs in this process too: a minute forward while the retry waits.
    const step = setTimeout(() => (Date.now = () => wallClock() + 60_000), 200);
    try {
      const retry = await customer.placeOrder([{ productId, quantity: 1 }], key);
      expect(retry.errors).toBeUndefined();
      expect(retry.data.placeOrder).toMatchObject({ id: (await first).data.placeOrder.id, status: 'PAID' });
    } finally {
      clearTimeout(step);
      Date.now = wallClock;
    }
  });

  it('turns introspection and the playground off for production', async () => {
    const { started } = await system({ security: { introspection: false }, gateway: { playground: false } });
    const introspection = await gql(started.gatewayUrl, '{ __schema { types { name } } }');
    expect(errorCodes(introspection)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const page = await fetch(started.gatewayUrl.replace('/graphql', '/'), { headers: { accept: 'text/html' } });
    expect(page.status).toBe(404);
  });

  it('masks what breaks inside: no stack, SQL, path or hostname reaches the client', async () => {
    const { started, admin } = await system();
    await started.product.stop();
    const response = await admin.request('{ products { totalCount edges { node { name } } } }');
    // A subgraph that does not answer is a retryable SERVICE_UNAVAILABLE, naming no address.
    expect(errorCodes(response)).toEqual(['SERVICE_UNAVAILABLE']);
    expect(JSON.stringify(response)).not.toMatch(/127\.0\.0\.1|localhost|ECONNREFUSED|\/work\/|node_modules|at \w+ \(|select /i);
  });
});
