import type { RunningServer } from '../../lib/http.js';
import { createLogger } from '../../lib/log.js';
import { rows } from '../../scripts/invariants.js';
import { buildPaymentServer } from '../../subgraphs/payment/src/server.js';
import { buildProductServer } from '../../subgraphs/product/src/server.js';
import { buildShippingServer } from '../../subgraphs/shipping/src/server.js';
import { adminToken, customerToken, testAuth, TEST_JWT_SECRET, TEST_SERVICE_CREDENTIAL } from '../support/auth.js';
import { createSubgraphDatabases } from '../support/database.js';
import { startGateProxy } from '../support/gate-proxy.js';
import { bearer, gql } from '../support/graphql.js';
import { checkInvariants, unfinishedOrders, type SystemDatabases } from '../support/invariants.js';
import { spawnService, waitFor } from '../support/processes.js';

const quiet = createLogger('test', 'silent');
const STOCK = 20;

let product: RunningServer;
let payment: RunningServer;
let shipping: RunningServer;
let databases: SystemDatabases;
let productId: string;
let customer: Record<string, string>;
let admin: Record<string, string>;

const ORDER = `query($id: ID!) { order(id: $id) { status cancellationCode cancellationReason } }`;

beforeAll(async () => {
  databases = await createSubgraphDatabases();
  [product, payment, shipping] = await Promise.all([
    buildProductServer({ port: 0, databaseUrl: databases.product, ...testAuth }, quiet),
    buildPaymentServer({ port: 0, databaseUrl: databases.payment, ...testAuth, processor: { declineThreshold: '1000.00', latencyMs: 0, failureRate: 0 } }, quiet),
    buildShippingServer({ port: 0, databaseUrl: databases.shipping, ...testAuth }, quiet),
  ]);
  admin = bearer(await adminToken());
  customer = bearer(await customerToken('cancel-crash-buyer'));
  const created = await gql(product.url, `mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }`, {
    input: { sku: 'CANCEL-CRASH', name: 'Cancel crash', price: '8.00', stock: STOCK },
  }, admin);
  productId = created.data.createProduct.id as string;
});
afterAll(async () => {
  await Promise.all([product.stop(), payment.stop(), shipping.stop()]);
});

function orderEnv(shippingUrl = shipping.url): Record<string, string> {
  return {
    DATABASE_URL: databases.order,
    PRODUCT_URL: product.url,
    PAYMENT_URL: payment.url,
    SHIPPING_URL: shippingUrl,
    JWT_SECRET: TEST_JWT_SECRET,
    SERVICE_CREDENTIAL: TEST_SERVICE_CREDENTIAL,
    RECOVERY_GRACE_MS: '300',
    RECOVERY_INTERVAL_MS: '200',
  };
}

/**
 * Places a PAID order, then cancels it through an order subgraph whose calls to shipping go
 * through a gate holding cancelShipment's answer: shipping has acted on the cancel, and the order
 * subgraph is killed -9 before it hears so. The order subgraph then starts again, as after a crash.
 */
async function cancelCutOffByCrash(key: string, beforeCancel: (orderId: string) => Promise<void> = async () => {}) {
  const gate = await startGateProxy(shipping.url, /cancelShipment/);
  const order = await spawnService('order', orderEnv(gate.url));
  const placed = await gql(order.url, `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id status } }`, {
    input: { idempotencyKey: key, lines: [{ productId, quantity: 3 }] },
  }, customer);
  expect(placed.data.placeOrder.status).toBe('PAID');
  const id = placed.data.placeOrder.id as string;
  await beforeCancel(id);
  const cancel = gql(order.url, `mutation($id: ID!) { cancelOrder(id: $id, reason: "changed my mind") { status } }`, { id }, customer).catch(() => 'cut off');
  await gate.held;
  await order.kill('SIGKILL');
  expect(await cancel).toBe('cut off');
  await gate.stop();
  const leftUnfinished = await unfinishedOrders(databases.order);
  const restarted = await spawnService('order', orderEnv());
  await waitFor('recovery to settle the cancel', async () => (await unfinishedOrders(databases.order)) === 0, 20_000);
  return { id, leftUnfinished, restarted };
}

const statusIn = async (database: string, table: string, orderId: string) =>
  (await rows<{ status: string }>(database, `select status from ${table} where order_id = $1`, [orderId])).map((row) => row.status);

describe('a cancel cut off by a crash of the order subgraph', () => {
  it('is finished by recovery once shipping has cancelled the shipment: CANCELLED, refunded, stock back', async () => {
    const { id, leftUnfinished, restarted } = await cancelCutOffByCrash('cancelled-then-crash');
    expect(leftUnfinished).toBe(1);
    expect((await gql(restarted.url, ORDER, { id }, customer)).data.order).toEqual({
      status: 'CANCELLED',
      cancellationCode: 'CANCELLED_BY_CUSTOMER',
      cancellationReason: 'changed my mind',
    });
    expect(await statusIn(databases.payment, 'payment', id)).toEqual(['REFUNDED']);
    expect(await statusIn(databases.shipping, 'shipment', id)).toEqual(['CANCELLED']);
    expect(await rows(databases.product, 'select stock from product where id = $1', [productId])).toEqual([{ stock: STOCK }]);
    expect((await checkInvariants(databases, new Map([[productId, STOCK]]))).violations).toEqual([]);
    await restarted.kill();
  });

  it('is dropped by recovery when the shipment had already shipped: the order stays PAID', async () => {
    const shipFirst = async (orderId: string) => {
      const [shipment] = await rows<{ id: string }>(databases.shipping, 'select id from shipment where order_id = $1', [orderId]);
      const shipped = await gql(shipping.url, `mutation($id: ID!) { shipShipment(id: $id, carrier: "DHL", trackingNumber: "T-9") { status } }`, { id: shipment!.id }, admin);
      expect(shipped.data.shipShipment.status).toBe('SHIPPED');
    };
    const { id, leftUnfinished, restarted } = await cancelCutOffByCrash('shipped-then-crash', shipFirst);
    // The crash left the cancel recorded: only shipping's answer, asked again by recovery, settles it.
    expect(leftUnfinished).toBe(1);
    expect((await gql(restarted.url, ORDER, { id }, customer)).data.order).toEqual({ status: 'PAID', cancellationCode: null, cancellationReason: null });
    expect(await rows(databases.order, 'select cancellation_code, cancellation_reason from customer_order where id = $1', [id])).toEqual([
      { cancellation_code: null, cancellation_reason: null },
    ]);
    expect(await statusIn(databases.payment, 'payment', id)).toEqual(['COMPLETED']);
    expect(await statusIn(databases.shipping, 'shipment', id)).toEqual(['SHIPPED']);
    expect((await checkInvariants(databases, new Map([[productId, STOCK]]))).violations).toEqual([]);
    await restarted.kill();
  });
});
