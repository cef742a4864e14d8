import { createLogger } from '../../lib/log.js';
import { readMetric } from '../../lib/metrics.js';
import { buildPaymentServer } from '../../subgraphs/payment/src/server.js';
import { buildProductServer } from '../../subgraphs/product/src/server.js';
import { testAuth } from '../support/auth.js';
import { checkInvariants, unfinishedOrders } from '../support/invariants.js';
import { startDelayProxy } from '../support/delay-proxy.js';
import { startGateProxy, type GateProxy } from '../support/gate-proxy.js';
import { rows } from '../../scripts/invariants.js';
import { waitFor } from '../support/processes.js';
import { Shopper } from '../support/shop.js';
import { startSystem, type RunningSystem, type SystemOptions } from '../support/system.js';

const running: { stop: () => Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((item) => item.stop()));
});

async function system(options: SystemOptions = {}): Promise<{ system: RunningSystem; admin: Shopper; customer: Shopper; stock: Map<string, number>; productId: string }> {
  const started = await startSystem(options);
  running.push(started);
  const admin = await Shopper.admin(started.gatewayUrl);
  const productId = await admin.createProduct({ price: '10.00', stock: 100 });
  return { system: started, admin, customer: await Shopper.customer(started.gatewayUrl, 'shopper'), stock: new Map([[productId, 100]]), productId };
}

async function restartPayment(started: RunningSystem) {
  return buildPaymentServer(
    { port: started.payment.port, databaseUrl: started.databases.payment, ...testAuth, processor: { declineThreshold: '1000.00', latencyMs: 0, failureRate: 0 } },
    createLogger('test', 'silent'),
  );
}

/** Charge requests the payment service has finished answering (whether or not the saga still waited). */
async function chargesAnswered(started: RunningSystem): Promise<number> {
  const metrics = await (await fetch(started.payment.url.replace('/graphql', '/metrics'))).text();
  return readMetric(metrics, 'graphql_operation_duration_seconds_count', { operation: 'Charge' });
}

async function expectInvariants(started: RunningSystem, stock: Map<string, number>) {
  await waitFor('every order to be finished', async () => (await unfinishedOrders(started.databases.order)) === 0, 20_000);
  expect((await checkInvariants(started.databases, stock)).violations).toEqual([]);
}

describe('placeOrder when a peer fails', () => {
  it('cancels as PAYMENT_UNAVAILABLE and releases the stock when the payment subgraph is down, and finishes when it is back', async () => {
    // Grace above the request's own duration, so recovery only finishes what the request left. A
    // pass that claims the order before the restart (a loaded machine) holds it for the lease: 1 s.
    const { system: started, admin, customer, stock, productId } = await system({ recovery: { graceMs: 1_000, intervalMs: 100, leaseMs: 1_000 } });
    await started.payment.stop();
    const startedAt = Date.now();
    const { data } = await customer.placeOrder([{ productId, quantity: 3 }]);
    console.info(`payment subgraph down: the client waited ${Date.now() - startedAt} ms for its answer`);
    expect(data.placeOrder).toMatchObject({ status: 'CANCELLED', cancellationCode: 'PAYMENT_UNAVAILABLE' });
    expect(await admin.stockOf(productId)).toBe(100);
    // The order stays owed a void until the payment service returns on the same address.
    running.push(await restartPayment(started));
    await expectInvariants(started, stock);
  });

  it('gives up on a hanging payment subgraph after 3 timed-out attempts and voids the charge that lands late', async () => {
    const { system: started, admin, customer, stock, productId } = await system({
      payment: { latencyMs: 1_500 },
      saga: { callTimeoutMs: 300 },
    });
    const startedAt = Date.now();
    const { data } = await customer.placeOrder([{ productId, quantity: 2 }]);
    console.info(`payment subgraph hanging (300 ms call limit): the client waited ${Date.now() - startedAt} ms`);
    expect(data.placeOrder).toMatchObject({ status: 'CANCELLED', cancellationCode: 'PAYMENT_UNAVAILABLE' });
    expect(await admin.stockOf(productId)).toBe(100);
    // Every timed-out charge still reaches the processor; once all three have been answered, none can land any more.
    await waitFor('the late charges to be answered', async () => (await chargesAnswered(started)) >= 3, 10_000);
    expect(await chargesAnswered(started)).toBe(3);
    const after = await admin.request(`query($id: ID!) { order(id: $id) { status paymentStatus } }`, { id: data.placeOrder.id });
    // The charge reached the processor and was voided before it answered: FAILED, never COMPLETED.
    expect(after.data.order).toEqual({ status: 'CANCELLED', paymentStatus: 'FAILED' });
    await expectInvariants(started, stock);
  });

  it('retries transient payment failures: at a 40% failure rate most orders are PAID and none is charged twice', async () => {
    const { system: started, customer, stock, productId } = await system({ payment: { failureRate: 0.4 } });
    const results = await Promise.all(Array.from({ length: 20 }, () => customer.placeOrder([{ productId, quantity: 1 }])));
    const orders = results.map((result) => result.data.placeOrder);
    const paid = orders.filter((order) => order.status === 'PAID');
    expect(paid.length).toBeGreaterThanOrEqual(12);
    for (const order of orders.filter((order) => order.status === 'CANCELLED')) expect(order.cancellationCode).toBe('PAYMENT_UNAVAILABLE');
    for (const order of paid) expect(order.payment).toMatchObject({ status: 'COMPLETED', amount: '10.00' });
    const metrics = await (await fetch(started.order.url.replace('/graphql', '/metrics'))).text();
    expect(metrics).toMatch(/^order_saga_retries_total\{[^}]*call="chargePayment"[^}]*\} [1-9]/m);
    await expectInvariants(started, stock);
  });

  it('cancels as INVENTORY_UNAVAILABLE when the product subgraph is down, and releases when it is back', async () => {
    const { system: started, customer, stock, productId } = await system({ recovery: { graceMs: 1_000, intervalMs: 100, leaseMs: 1_000 } });
    await started.product.stop();
    const { data } = await customer.placeOrder([{ productId, quantity: 1 }]);
    expect(data.placeOrder).toMatchObject({ status: 'CANCELLED', cancellationCode: 'INVENTORY_UNAVAILABLE', paymentStatus: null });
    // The release (in case the reservation happened unseen) waits for the product service.
    running.push(await buildProductServer({ port: started.product.port, databaseUrl: started.databases.product, ...testAuth }, createLogger('test', 'silent')));
    await expectInvariants(started, stock);
  });

  it('pays the order when its confirm batch does not get through, and recovery confirms it later', async () => {
    let gate!: GateProxy;
    const { system: started, customer, stock, productId } = await system({
      saga: { callTimeoutMs: 300 },
      // A lease shorter than the test: a recovery attempt that met the closed gate is tried again soon.
      recovery: { graceMs: 1_000, intervalMs: 100, leaseMs: 1_000 },
      // The batch matches too (confirmReservations): its call reaches the product subgraph, but no answer comes back.
      routeSagaToProduct: async (productUrl) => {
        gate = await startGateProxy(productUrl, /confirmReservation/);
        running.push(gate);
        return gate.url;
      },
    });
    const { data } = await customer.placeOrder([{ productId, quantity: 2 }]);
    expect(data.placeOrder).toMatchObject({ status: 'PAID', paymentStatus: 'COMPLETED' });
    const orderMetric = async (name: string, labels: Record<string, string>) => readMetric(await (await fetch(started.order.url.replace('/graphql', '/metrics'))).text(), name, labels);
    await waitFor('the confirm batch to fail', async () => (await orderMetric('order_saga_confirm_batches_total', { result: 'failed' })) === 1, 10_000, 20);
    const step = async () => (await rows<{ saga_step: string }>(started.databases.order, 'select saga_step from customer_order where id = $1', [data.placeOrder.id]))[0]!.saga_step;
    expect(await step()).toBe('CONFIRM');
    gate.open();
    await expectInvariants(started, stock);
    expect(await step()).toBe('DONE');
    const [reservation] = await rows<{ status: string }>(started.databases.product, 'select status from reservation where order_id = $1', [data.placeOrder.id]);
    expect(reservation!.status).toBe('CONFIRMED');
    expect(await orderMetric('order_saga_recoveries_total', { result: 'finished' })).toBe(1);
  });

  it('releases a reservation whose answer was lost in a timeout', async () => {
    const { system: started, admin, customer, stock, productId } = await system({
      saga: { callTimeoutMs: 300 },
      // Grace above the call limit: recovery must not take the order over while its request still waits.
      recovery: { graceMs: 1_000, intervalMs: 100 },
      routeSagaToProduct: async (productUrl) => {
        const proxy = await startDelayProxy(productUrl, 600);
        running.push(proxy);
        return proxy.url;
      },
    });
    const { data } = await customer.placeOrder([{ productId, quantity: 5 }]);
    expect(data.placeOrder).toMatchObject({ status: 'CANCELLED', cancellationCode: 'INVENTORY_UNAVAILABLE' });
    await waitFor('the lost reservation to be released', async () => (await admin.stockOf(productId)) === 100, 10_000);
    await expectInvariants(started, stock);
  });
});

describe('cancelOrder racing the saga', () => {
  it('ends every raced order in one consistent state, cancels arriving mid-saga included', async () => {
    const { system: started, admin, stock, productId } = await system({ payment: { latencyMs: 300 } });
    const raced = await Promise.all(
      [0, 50, 100, 200, 350, 600].map(async (delay, i) => {
        // One customer per race, so the customer's only order is the one in flight.
        const racer = await Shopper.customer(started.gatewayUrl, `racer-${i}`);
        const placing = racer.placeOrder([{ productId, quantity: 1 }]);
        await new Promise((resolve) => setTimeout(resolve, delay));
        const orderId = await waitFor(
          'the order to be recorded',
          async () => (await racer.request(`{ myOrders(first: 1) { edges { node { id } } } }`)).data.myOrders.edges[0]?.node.id as string | undefined,
          10_000,
          10,
        );
        // Sent while placeOrder may still be running: not awaited first.
        const cancel = await racer.request(`mutation($id: ID!) { cancelOrder(id: $id) { status cancellationCode paymentStatus } }`, { id: orderId });
        const placed = await placing;
        expect(cancel.errors).toBeUndefined();
        expect(placed.errors).toBeUndefined();
        return { orderId, cancelled: cancel.data.cancelOrder, placed: placed.data.placeOrder };
      }),
    );
    for (const { orderId, cancelled, placed } of raced) {
      expect(cancelled).toMatchObject({ status: 'CANCELLED', cancellationCode: 'CANCELLED_BY_CUSTOMER' });
      expect(['REFUNDED', 'FAILED', null]).toContain(cancelled.paymentStatus);
      // placeOrder answered either the order paid before the cancel, or the cancel itself.
      if (placed.status === 'PAID') expect(placed.paymentStatus).toBe('COMPLETED');
      else expect(placed).toMatchObject({ status: 'CANCELLED', cancellationCode: 'CANCELLED_BY_CUSTOMER' });
      const final = await admin.request(`query($id: ID!) { order(id: $id) { status cancellationCode paymentStatus } }`, { id: orderId });
      expect(final.data.order).toMatchObject({ status: 'CANCELLED', cancellationCode: 'CANCELLED_BY_CUSTOMER' });
      expect(['REFUNDED', 'FAILED', null]).toContain(final.data.order.paymentStatus);
    }
    // The early cancels reached orders whose saga was still running (the charge takes 300 ms).
    const midSaga = raced.filter(({ placed }) => placed.status === 'CANCELLED').length;
    console.info(`cancelOrder races: ${midSaga} of ${raced.length} cancels reached the order mid-saga, the rest after PAID`);
    expect(midSaga).toBeGreaterThan(0);
    await expectInvariants(started, stock);
    expect(await admin.stockOf(productId)).toBe(100);
  });
});
