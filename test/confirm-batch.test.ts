import { readMetric } from '../lib/metrics.js';
import { rows } from '../scripts/invariants.js';
import { errorCodes } from './support/graphql.js';
import { checkInvariants, unfinishedOrders } from './support/invariants.js';
import { waitFor } from './support/processes.js';
import { Shopper } from './support/shop.js';
import { startSystem, type RunningSystem } from './support/system.js';

/**
 * A paid order's reservation is confirmed after placeOrder has answered, in batches. Here a batch
 * goes only once it holds 3 orders (its delay is an hour), so which orders share a batch, and what
 * is still at CONFIRM before it goes, is decided by the test and not by timing.
 */
let system: RunningSystem;
let admin: Shopper;
let customer: Shopper;
let productId: string;
const STOCK = 100;

const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id status paymentStatus shipment { id } } }`;
const SHIP = `mutation($id: ID!) { shipShipment(id: $id, carrier: "DHL", trackingNumber: "T-1") { status } }`;
const CANCEL = `mutation($id: ID!) { cancelOrder(id: $id) { status paymentStatus } }`;

beforeAll(async () => {
  system = await startSystem({ confirmBatch: { maxOrders: 3, delayMs: 3_600_000 } });
  admin = await Shopper.admin(system.gatewayUrl);
  customer = await Shopper.customer(system.gatewayUrl, 'batched-buyer');
  productId = await admin.createProduct({ price: '3.00', stock: STOCK });
});
afterAll(() => system.stop());

async function placePaid(): Promise<{ id: string; shipmentId: string }> {
  const { data, errors } = await customer.request(PLACE, { input: { idempotencyKey: `batched-${Math.random()}`, lines: [{ productId, quantity: 1 }] } });
  expect(errors).toBeUndefined();
  expect(data.placeOrder).toMatchObject({ status: 'PAID', paymentStatus: 'COMPLETED' });
  return { id: data.placeOrder.id, shipmentId: data.placeOrder.shipment.id };
}

const stepOf = async (id: string) => (await rows<{ saga_step: string }>(system.databases.order, 'select saga_step from customer_order where id = $1', [id]))[0]!.saga_step;
const reservationOf = async (id: string) => (await rows<{ status: string }>(system.databases.product, 'select status from reservation where order_id = $1', [id]))[0]!.status;
const batches = async (result: string) => readMetric(await (await fetch(system.order.url.replace('/graphql', '/metrics'))).text(), 'order_saga_confirm_batches_total', { result });

async function allConfirmed(): Promise<void> {
  await waitFor('every order to be DONE', async () => (await unfinishedOrders(system.databases.order)) === 0, 20_000, 20);
}

describe('confirming paid orders in batches', () => {
  it('answers placeOrder PAID before the reservation is confirmed, then confirms a batch of orders and ends them DONE', async () => {
    const sentBefore = await batches('sent');
    const first = [await placePaid(), await placePaid()];
    for (const { id } of first) {
      expect(await stepOf(id)).toBe('CONFIRM');
      expect(await reservationOf(id)).toBe('RESERVED');
    }

    const third = await placePaid();

    await allConfirmed();
    for (const { id } of [...first, third]) {
      expect(await stepOf(id)).toBe('DONE');
      expect(await reservationOf(id)).toBe('CONFIRMED');
    }
    expect(await batches('sent')).toBe(sentBefore + 1);
  });

  it('cancels an order still at CONFIRM, and the batch that later holds it leaves it cancelled', async () => {
    const waiting = await placePaid();
    const before = await admin.stockOf(productId);

    const cancel = await customer.request(CANCEL, { id: waiting.id });

    expect(cancel.data.cancelOrder).toEqual({ status: 'CANCELLED', paymentStatus: 'REFUNDED' });
    expect(await admin.stockOf(productId)).toBe(before + 1);
    expect(await reservationOf(waiting.id)).toBe('RELEASED');
    await placePaid();
    await placePaid();
    await allConfirmed();
    expect(await reservationOf(waiting.id)).toBe('RELEASED');
    expect((await admin.request(`query($id: ID!) { order(id: $id) { status } }`, { id: waiting.id })).data.order.status).toBe('CANCELLED');
    expect((await checkInvariants(system.databases, new Map([[productId, STOCK]]))).violations).toEqual([]);
  });

  it('returns a shipped order whose cancel is refused to CONFIRM, so its reservation is still confirmed', async () => {
    const shipped = await placePaid();
    await admin.request(SHIP, { id: shipped.shipmentId });

    const refused = await customer.request(CANCEL, { id: shipped.id });

    expect(errorCodes(refused)).toEqual(['CONFLICT']);
    expect(await stepOf(shipped.id)).toBe('CONFIRM');
    // The refused cancel queued the order a second time: one more order fills the batch of 3.
    await placePaid();
    await allConfirmed();
    expect(await reservationOf(shipped.id)).toBe('CONFIRMED');
    expect((await checkInvariants(system.databases, new Map([[productId, STOCK]]))).violations).toEqual([]);
  });
});
