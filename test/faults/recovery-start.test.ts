import pg from 'pg';
import { createLogger } from '../../lib/log.js';
import { readMetric } from '../../lib/metrics.js';
import { buildOrderServer } from '../../subgraphs/order/src/server.js';
import { testAuth, TEST_SERVICE_CREDENTIAL } from '../support/auth.js';
import { checkInvariants, unfinishedOrders } from '../support/invariants.js';
import { waitFor } from '../support/processes.js';
import { Shopper } from '../support/shop.js';
import { startSystem, type RunningSystem } from '../support/system.js';

let system: RunningSystem;
const stopLater: { stop: () => Promise<void> }[] = [];
afterAll(async () => {
  await Promise.all(stopLater.map((server) => server.stop()));
  await system?.stop();
});

async function sql(url: string, text: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows;
  } finally {
    await client.end();
  }
}

/** How many times the payment subgraph answered an operation, by the saga's operation name. */
async function paymentOperations(operation: string): Promise<number> {
  const text = await (await fetch(system.payment.url.replace('/graphql', '/metrics'))).text();
  return readMetric(text, 'graphql_operation_duration_seconds_count', { operation });
}

describe('recovery', () => {
  it('runs when the order subgraph starts, and asks the payment subgraph about a charge instead of charging again', async () => {
    system = await startSystem();
    const admin = await Shopper.admin(system.gatewayUrl);
    const productId = await admin.createProduct({ price: '7.00', stock: 10 });
    const customer = await Shopper.customer(system.gatewayUrl, 'recovered');
    const placed = (await customer.placeOrder([{ productId, quantity: 2 }])).data.placeOrder;
    expect(placed).toMatchObject({ status: 'PAID', paymentStatus: 'COMPLETED' });

    // As if the order subgraph died after the charge completed and before it recorded that: the
    // payment exists, the order still says PENDING at CHARGE, untouched for an hour.
    await system.order.stop();
    await sql(system.databases.order, `update customer_order set status = 'PENDING', saga_step = 'CHARGE', updated_at = now() - interval '1 hour' where id = $1`, [placed.id]);
    const charges = await paymentOperations('Charge');
    const lookups = await paymentOperations('Payment');

    // A periodic pass an hour away: only the pass at start can finish the order in time.
    const restarted = await buildOrderServer(
      {
        port: system.order.port,
        databaseUrl: system.databases.order,
        ...testAuth,
        saga: { productUrl: system.product.url, paymentUrl: system.payment.url, shippingUrl: system.shipping.url, serviceCredential: TEST_SERVICE_CREDENTIAL, callTimeoutMs: 5_000, chargeRetries: 2, retryBaseDelayMs: 20 },
        recovery: { graceMs: 1_000, intervalMs: 3_600_000, leaseMs: 60_000, batchSize: 20 },
      },
      createLogger('test', 'silent'),
    );
    stopLater.push(restarted);
    await waitFor('recovery at start to finish the order', async () => (await unfinishedOrders(system.databases.order)) === 0, 15_000);

    const after = await admin.request(`query($id: ID!) { order(id: $id) { status paymentStatus } }`, { id: placed.id });
    expect(after.data.order).toEqual({ status: 'PAID', paymentStatus: 'COMPLETED' });
    expect(await paymentOperations('Payment')).toBe(lookups + 1);
    expect(await paymentOperations('Charge')).toBe(charges);
    expect((await checkInvariants(system.databases, new Map([[productId, 10]]))).violations).toEqual([]);
  });
});
