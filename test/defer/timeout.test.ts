import { randomUUID } from 'node:crypto';
import { customerToken } from '../support/auth.js';
import { Gate } from '../support/gate.js';
import { bearer } from '../support/graphql.js';
import { allPayloads, requestDeferred } from '../support/incremental.js';
import { Shopper } from '../support/shop.js';
import { startSystem, type RunningSystem } from '../support/system.js';

/** One request timeout covers every part of a deferred operation, not each part its own. */
let system: RunningSystem;
const shipping = new Gate();

beforeAll(async () => {
  system = await startSystem({ shipping: { holdShipmentLookups: shipping.wait }, security: { requestTimeoutMs: 1_500 } });
});
afterAll(async () => {
  shipping.open();
  await system.stop();
});

it('ends the stream with REQUEST_TIMEOUT when a deferred part is still waiting at the request deadline', async () => {
  const admin = await Shopper.admin(system.gatewayUrl);
  const productId = await admin.createProduct({ name: 'Slow shipment', price: '3.00', stock: 5 });
  const customer = await Shopper.customer(system.gatewayUrl, 'defer-timeout');
  const { data } = await customer.placeOrder([{ productId, quantity: 1 }], randomUUID());
  shipping.close();
  const query = `query($id: ID!) { order(id: $id) { id status ... @defer { shipment { status } } } }`;
  const answer = await requestDeferred(system.gatewayUrl, query, { id: data.placeOrder.id }, bearer(await customerToken('defer-timeout')));
  const payloads = await allPayloads(answer);
  expect(payloads).toEqual([
    { data: { order: { id: data.placeOrder.id, status: 'PAID' } }, hasNext: true },
    { hasNext: false, errors: [{ message: 'The request took longer than 1500 ms and was stopped', extensions: { code: 'REQUEST_TIMEOUT' } }] },
  ]);
});
