import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { openDatabase } from '../../lib/db.js';
import { createLogger } from '../../lib/log.js';
import { createMetrics } from '../../lib/metrics.js';
import { entities } from '../../subgraphs/order/src/entities/index.js';
import { migrations } from '../../subgraphs/order/src/migrations/index.js';
import { createSagaMetrics } from '../../subgraphs/order/src/saga/metrics.js';
import { createPeers } from '../../subgraphs/order/src/saga/peers.js';
import { recoverAbandonedOrders, type RecoveryConfig } from '../../subgraphs/order/src/saga/recovery.js';
import { TEST_SERVICE_CREDENTIAL } from '../support/auth.js';
import { startGateProxy, type GateProxy } from '../support/gate-proxy.js';
import { checkInvariants } from '../support/invariants.js';
import { waitFor } from '../support/processes.js';
import { Shopper } from '../support/shop.js';
import { startSystem, type RunningSystem } from '../support/system.js';

let system: RunningSystem;
let orm: MikroORM;
let gate: GateProxy;
afterAll(async () => {
  await orm?.close(true);
  await gate?.stop();
  await system?.stop();
});

async function sql<T>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: system.databases.order });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('a recovery batch that outlives its lease', () => {
  it('leaves the orders another replica claimed meanwhile to that replica', async () => {
    system = await startSystem();
    const admin = await Shopper.admin(system.gatewayUrl);
    const productId = await admin.createProduct({ price: '3.00', stock: 10 });
    const customer = await Shopper.customer(system.gatewayUrl, 'two-abandoned');
    for (const key of ['first', 'second']) expect((await customer.placeOrder([{ productId, quantity: 1 }], key)).data.placeOrder.status).toBe('PAID');
    // The system's own order replica goes, and both orders look abandoned mid-charge an hour ago.
    await system.order.stop();
    await sql(`update customer_order set status = 'PENDING', saga_step = 'CHARGE', updated_at = now() - interval '1 hour', lease_owner = null, lease_until = null`);

    orm = await openDatabase({ databaseUrl: system.databases.order, entities, migrations });
    const saga = { productUrl: system.product.url, paymentUrl: system.payment.url, shippingUrl: system.shipping.url, serviceCredential: TEST_SERVICE_CREDENTIAL, callTimeoutMs: 5_000, chargeRetries: 2, retryBaseDelayMs: 20 };
    // Replica X's question to the payment subgraph about its first order gets no answer until the test says so.
    gate = await startGateProxy(system.payment.url, /paymentForOrder/);
    const replica = (replicaId: string, paymentUrl: string) => ({
      orm,
      peers: createPeers({ ...saga, paymentUrl }),
      metrics: createSagaMetrics(createMetrics('order').registry),
      logger: createLogger('test', 'silent'),
      replicaId,
    });
    const config: RecoveryConfig = { graceMs: 1_000, intervalMs: 3_600_000, leaseMs: 100, batchSize: 20 };

    const slowPass = recoverAbandonedOrders(replica('X', gate.url), config);
    await gate.held;
    await waitFor('the lease of X on both orders to run out', async () => (await sql(`select 1 from customer_order where lease_owner = 'X' and lease_until < now()`)).length === 2);
    const fastPass = await recoverAbandonedOrders(replica('Y', system.payment.url), config);
    expect(fastPass).toHaveLength(2);
    gate.open();
    // X finishes what it had in hand; the other order is Y's now, and X leaves it alone.
    expect(await slowPass).toHaveLength(1);
    expect((await checkInvariants(system.databases, new Map([[productId, 10]]))).violations).toEqual([]);
  });
});
