import pg from 'pg';
import type { RunningServer } from '../../lib/http.js';
import { createLogger } from '../../lib/log.js';
import { buildPaymentServer } from '../../subgraphs/payment/src/server.js';
import { buildProductServer } from '../../subgraphs/product/src/server.js';
import { buildShippingServer } from '../../subgraphs/shipping/src/server.js';
import { customerToken, testAuth, TEST_JWT_SECRET, TEST_SERVICE_CREDENTIAL } from '../support/auth.js';
import { createSubgraphDatabases } from '../support/database.js';
import { startGateProxy, type GateProxy } from '../support/gate-proxy.js';
import { bearer, gql } from '../support/graphql.js';
import { linesWithSecrets } from '../support/log-capture.js';
import { spawnService, waitFor, type ServiceProcess } from '../support/processes.js';
import { Shopper } from '../support/shop.js';

const quiet = createLogger('test', 'silent');
const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id status paymentStatus } }`;

let product: RunningServer;
let payment: RunningServer;
let shipping: RunningServer;
let orderDatabase: string;
let productId: string;
const started: { stop: () => Promise<unknown> }[] = [];

beforeAll(async () => {
  const databases = await createSubgraphDatabases();
  shipping = await buildShippingServer({ port: 0, databaseUrl: databases.shipping, ...testAuth }, quiet);
  orderDatabase = databases.order;
  product = await buildProductServer({ port: 0, databaseUrl: databases.product, ...testAuth }, quiet);
  // The "slow placeOrder": the processor takes its time, and the gate below holds the
  // answer for as long as the test needs.
  payment = await buildPaymentServer({ port: 0, databaseUrl: databases.payment, ...testAuth, processor: { declineThreshold: '1000.00', latencyMs: 300, failureRate: 0 } }, quiet);
  productId = await (await Shopper.admin(product.url)).createProduct({ price: '12.50', stock: 10 });
});
afterAll(async () => {
  await Promise.all(started.splice(0).map((item) => item.stop()));
  await Promise.all([product.stop(), payment.stop(), shipping.stop()]);
});

/** True once nothing accepts connections on the service's port any more. */
async function refusesConnections(url: string): Promise<boolean> {
  const error = await fetch(url.replace('/graphql', '/health'), { signal: AbortSignal.timeout(2_000) }).then(
    () => null,
    (failure: { cause?: { code?: string } }) => failure,
  );
  return error?.cause?.code === 'ECONNREFUSED';
}

async function orderRow(id: string): Promise<{ status: string; saga_step: string }> {
  const client = new pg.Client({ connectionString: orderDatabase });
  await client.connect();
  try {
    return (await client.query('select status, saga_step from customer_order where id = $1', [id])).rows[0];
  } finally {
    await client.end();
  }
}

describe('stopping with SIGTERM', () => {
  it('finishes a placeOrder caught mid-charge, refuses new connections meanwhile, and exits 0 (order subgraph and a 2-worker gateway)', async () => {
    const gate: GateProxy = await startGateProxy(payment.url, /chargePayment/);
    started.push(gate);
    const order: ServiceProcess = await spawnService('order', {
      DATABASE_URL: orderDatabase,
      PRODUCT_URL: product.url,
      PAYMENT_URL: gate.url,
      SHIPPING_URL: shipping.url,
      JWT_SECRET: TEST_JWT_SECRET,
      SERVICE_CREDENTIAL: TEST_SERVICE_CREDENTIAL,
      // The held charge must not time out: this test is about shutdown, not about a hanging peer.
      SAGA_CALL_TIMEOUT_MS: '60000',
    });
    started.push({ stop: () => order.kill('SIGKILL') });
    const gateway: ServiceProcess = await spawnService('gateway', {
      PRODUCT_URL: product.url,
      PAYMENT_URL: payment.url,
      SHIPPING_URL: shipping.url,
      ORDER_URL: order.url,
      JWT_SECRET: TEST_JWT_SECRET,
      GATEWAY_WORKERS: '2',
    });
    started.push({ stop: () => gateway.kill('SIGKILL') });
    // Ready answers once one worker listens; each worker says "ready at" only once its SIGTERM
    // handler is in place, and a worker signalled before that dies without draining (exit 1).
    await waitFor('both gateway workers to be ready', async () => gateway.logs.filter((line) => line.includes('"msg":"gateway ready at')).length === 2);

    let answered = false;
    const token = await customerToken('sigterm-customer');
    const placing = gql(gateway.url, PLACE, { input: { idempotencyKey: 'sigterm-1', lines: [{ productId, quantity: 2 }] } }, bearer(token)).finally(
      () => (answered = true),
    );
    await gate.held;
    const gatewayExit = gateway.kill('SIGTERM');
    const orderExit = order.kill('SIGTERM');

    await waitFor('the order subgraph and the gateway to refuse new connections', async () => (await refusesConnections(order.url)) && (await refusesConnections(gateway.url)));
    expect(answered).toBe(false);
    gate.open();

    const response = await placing;
    expect(response.errors).toBeUndefined();
    expect(response.data.placeOrder).toMatchObject({ status: 'PAID', paymentStatus: 'COMPLETED' });
    // Stopping sends the pending confirm batch: the order is DONE once the process has exited.
    expect(await orderExit).toBe(0);
    expect(await orderRow(response.data.placeOrder.id)).toEqual({ status: 'PAID', saga_step: 'DONE' });
    expect(await gatewayExit).toBe(0);
    expect(order.logs.some((line) => line.includes('"msg":"order stopped"'))).toBe(true);
    expect(linesWithSecrets([...order.logs, ...gateway.logs], [token])).toEqual([]);
  }, 120_000);
});
