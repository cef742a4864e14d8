import pg from 'pg';
import { createLogger } from '../../lib/log.js';
import { buildShippingServer } from '../../subgraphs/shipping/src/server.js';
import { testAuth } from '../support/auth.js';
import { errorCodes } from '../support/graphql.js';
import { checkInvariants, unfinishedOrders } from '../support/invariants.js';
import { waitFor } from '../support/processes.js';
import { Shopper } from '../support/shop.js';
import { startSystem, type RunningSystem } from '../support/system.js';

let system: RunningSystem;
let admin: Shopper;
let customer: Shopper;
let productId: string;
const running: { stop: () => Promise<void> }[] = [];

const ORDER = `query($id: ID!) { order(id: $id) { status paymentStatus shippingStatus } }`;
const ORDER_CANCELLATION = `query($id: ID!) { order(id: $id) { status cancellationCode cancellationReason } }`;
const CANCEL = `mutation($id: ID!) { cancelOrder(id: $id) { status } }`;

beforeAll(async () => {
  // Recovery takes over an order untouched for 1 s, looking every 100 ms: far above a live saga here.
  // A loaded machine can take longer than the grace between placing an order and restarting
  // shipping, so recovery may claim it while shipping is still down: a 1 s lease (not the default
  // minute) lets the next pass take it again once shipping is back.
  system = await startSystem({ recovery: { graceMs: 1_000, intervalMs: 100, leaseMs: 1_000 } });
  admin = await Shopper.admin(system.gatewayUrl);
  customer = await Shopper.customer(system.gatewayUrl, 'shipping-down');
  productId = await admin.createProduct({ price: '6.00', stock: 100 });
});
afterAll(async () => {
  await Promise.all(running.map((server) => server.stop()));
  await system.stop();
});

/** The shipping subgraph back on its address and database, as after a restart. */
async function restartShipping() {
  const server = await buildShippingServer({ port: system.shipping.port, databaseUrl: system.databases.shipping, ...testAuth }, createLogger('test', 'silent'));
  running.push(server);
}

describe('the shipping subgraph down', () => {
  it('still answers placeOrder with the PAID order; once shipping is back, recovery creates its shipment and settles a cancel recorded meanwhile', async () => {
    await system.shipping.stop();
    const placed = await customer.placeOrder([{ productId, quantity: 1 }]);
    expect(placed.data.placeOrder).toMatchObject({ status: 'PAID', paymentStatus: 'COMPLETED' });
    const id = placed.data.placeOrder.id as string;
    // The order database records that the shipment is still owed.
    expect(await unfinishedOrders(system.databases.order)).toBe(1);

    const kept = await customer.placeOrder([{ productId, quantity: 2 }]);
    const keptId = kept.data.placeOrder.id as string;
    const refused = await customer.request(CANCEL, { id: keptId });
    expect(errorCodes(refused)).toEqual(['SERVICE_UNAVAILABLE']);
    expect(refused.errors![0]!.message).toMatch(/is not cancelled yet: whether it has shipped cannot be checked right now\. The cancel is recorded/);
    // Recorded, not done: the order is PAID until shipping says whether its shipment can be cancelled.
    expect((await customer.request(ORDER_CANCELLATION, { id: keptId })).data.order).toEqual({ status: 'PAID', cancellationCode: null, cancellationReason: null });

    await restartShipping();
    await waitFor('recovery to create the shipment and settle the cancel', async () => (await unfinishedOrders(system.databases.order)) === 0, 20_000);
    expect((await customer.request(ORDER, { id })).data.order).toEqual({ status: 'PAID', paymentStatus: 'COMPLETED', shippingStatus: 'PENDING' });
    expect((await customer.request(ORDER, { id: keptId })).data.order).toEqual({ status: 'CANCELLED', paymentStatus: 'REFUNDED', shippingStatus: null });
    expect((await customer.request(ORDER_CANCELLATION, { id: keptId })).data.order).toEqual({
      status: 'CANCELLED',
      cancellationCode: 'CANCELLED_BY_CUSTOMER',
      cancellationReason: 'Cancelled by the customer',
    });
    expect((await checkInvariants(system.databases, new Map([[productId, 100]]))).violations).toEqual([]);
  });

  it('ships an order an older replica left PAID at CONFIRM before its shipment (a rolling deploy) before recovery confirms it', async () => {
    // The shipping subgraph restarted by the test above is stopped in its turn.
    await running.pop()!.stop();
    const placed = await customer.placeOrder([{ productId, quantity: 1 }]);
    const id = placed.data.placeOrder.id as string;
    // Before the confirm batches, CONFIRM came before SHIP: an older replica wrote a paid, unshipped order at CONFIRM.
    const client = new pg.Client({ connectionString: system.databases.order });
    await client.connect();
    try {
      await client.query(`update customer_order set saga_step = 'CONFIRM' where id = $1 and saga_step = 'SHIP'`, [id]);
    } finally {
      await client.end();
    }
    await restartShipping();
    await waitFor('recovery to finish the order', async () => (await unfinishedOrders(system.databases.order)) === 0, 20_000);
    expect((await customer.request(ORDER, { id })).data.order).toEqual({ status: 'PAID', paymentStatus: 'COMPLETED', shippingStatus: 'PENDING' });
    expect((await checkInvariants(system.databases, new Map([[productId, 100]]))).violations).toEqual([]);
  });
});
