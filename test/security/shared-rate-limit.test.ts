import type { RunningServer } from '../../lib/http.js';
import { createLogger } from '../../lib/log.js';
import { buildOrderServer } from '../../subgraphs/order/src/server.js';
import { buildPaymentServer } from '../../subgraphs/payment/src/server.js';
import { buildProductServer } from '../../subgraphs/product/src/server.js';
import { buildShippingServer } from '../../subgraphs/shipping/src/server.js';
import { adminToken, customerToken, testAuth, TEST_JWT_SECRET, TEST_SERVICE_CREDENTIAL } from '../support/auth.js';
import { createSubgraphDatabases } from '../support/database.js';
import { bearer, gql } from '../support/graphql.js';
import { spawnService, type ServiceProcess } from '../support/processes.js';

const LIMIT = 5;
const quiet = createLogger('test', 'silent');
const servers: RunningServer[] = [];
const gateways: ServiceProcess[] = [];
let productId: string;

/** Two gateway processes, each in front of its own order replica; both replicas on one database. */
beforeAll(async () => {
  const databases = await createSubgraphDatabases();
  const product = await buildProductServer({ port: 0, databaseUrl: databases.product, ...testAuth }, quiet);
  const payment = await buildPaymentServer({ port: 0, databaseUrl: databases.payment, ...testAuth, processor: { declineThreshold: '1000.00', latencyMs: 0, failureRate: 0 } }, quiet);
  const shipping = await buildShippingServer({ port: 0, databaseUrl: databases.shipping, ...testAuth }, quiet);
  servers.push(product, payment, shipping);
  const orderReplica = () =>
    buildOrderServer(
      {
        port: 0,
        databaseUrl: databases.order,
        ...testAuth,
        saga: { productUrl: product.url, paymentUrl: payment.url, shippingUrl: shipping.url, serviceCredential: TEST_SERVICE_CREDENTIAL, callTimeoutMs: 5_000, chargeRetries: 2, retryBaseDelayMs: 20 },
        recovery: { graceMs: 30_000, intervalMs: 10_000, leaseMs: 60_000, batchSize: 20 },
        placeOrderRateLimit: { points: LIMIT, windowSeconds: 600 },
      },
      quiet,
    );
  const orders = [await orderReplica(), await orderReplica()];
  servers.push(...orders);
  for (const order of orders) {
    gateways.push(await spawnService('gateway', { PRODUCT_URL: product.url, PAYMENT_URL: payment.url, SHIPPING_URL: shipping.url, ORDER_URL: order.url, JWT_SECRET: TEST_JWT_SECRET, GATEWAY_WORKERS: '1' }));
  }
  const created = await gql(gateways[0]!.url, `mutation { createProduct(input: { sku: "LIMIT-1", name: "Limited", price: "2.00", stock: 1000 }) { id } }`, {}, bearer(await adminToken()));
  productId = created.data.createProduct.id as string;
}, 60_000);
afterAll(async () => {
  await Promise.all(gateways.map((gateway) => gateway.kill()));
  await Promise.all(servers.map((server) => server.stop()));
});

async function placeThrough(gatewayUrl: string, token: string, key: string) {
  const response = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer(token) },
    body: JSON.stringify({
      query: 'mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { status } }',
      variables: { input: { idempotencyKey: key, lines: [{ productId, quantity: 1 }] } },
    }),
  });
  const body = (await response.json()) as { data?: { placeOrder: { status: string } | null }; errors?: { extensions?: { code?: string } }[] };
  return { status: response.status, retryAfter: response.headers.get('retry-after'), status_: body.data?.placeOrder?.status, codes: (body.errors ?? []).map((error) => error.extensions?.code) };
}

describe('the placeOrder rate limit across gateway replicas', () => {
  it('is one limit per customer, whichever gateway and order replica each call goes through, racing calls included', async () => {
    const token = await customerToken('eager-everywhere');
    // One call less than the limit, alternating gateways: each gateway alone is far below it.
    const alternating = [];
    for (let i = 0; i < LIMIT - 1; i += 1) alternating.push(await placeThrough(gateways[i % 2]!.url, token, `key-${i}`));
    expect(alternating.map((answer) => answer.status_)).toEqual(Array.from({ length: LIMIT - 1 }, () => 'PAID'));
    // Then eight racing calls over both gateways: exactly one fits.
    const racing = await Promise.all(Array.from({ length: 8 }, (_, i) => placeThrough(gateways[i % 2]!.url, token, `race-${i}`)));
    const accepted = racing.filter((answer) => answer.status === 200);
    const refused = racing.filter((answer) => answer.status === 429);
    console.info(
      `rate limit ${LIMIT} per customer over two gateways: ${LIMIT - 1} alternating calls accepted (${Math.ceil((LIMIT - 1) / 2)} + ${Math.floor((LIMIT - 1) / 2)}), ` +
        `then of 8 racing calls ${accepted.length} accepted and ${refused.length} refused with 429`,
    );
    expect(accepted.map((answer) => answer.status_)).toEqual(['PAID']);
    expect(refused).toHaveLength(7);
    for (const answer of refused) {
      expect(answer.codes).toEqual(['RATE_LIMITED']);
      expect(Number(answer.retryAfter)).toBeGreaterThan(0);
      expect(Number(answer.retryAfter)).toBeLessThanOrEqual(600);
    }
    // Both gateways refuse once the shared count is spent.
    for (const gateway of gateways) expect((await placeThrough(gateway.url, token, 'one-more')).codes).toEqual(['RATE_LIMITED']);
    // Another customer has a count of its own.
    expect((await placeThrough(gateways[1]!.url, await customerToken('patient-elsewhere'), 'first')).status_).toBe('PAID');
  });
});
