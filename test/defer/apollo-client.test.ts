import '../support/apollo-dev-mode.js';
import { randomUUID } from 'node:crypto';
import { ApolloClient, gql, HttpLink, InMemoryCache } from '@apollo/client';
import { Defer20220824Handler } from '@apollo/client/incremental';
import { customerToken } from '../support/auth.js';
import { Gate } from '../support/gate.js';
import { Shopper } from '../support/shop.js';
import { startSystem, type RunningSystem } from '../support/system.js';

/**
 * Apollo Client 4 as a frontend's order page uses it: a plain HttpLink and InMemoryCache with the
 * Defer20220824Handler. It shows the order while shipping is held, then the shipment, and ends
 * with the whole order normalised in its cache.
 */
let system: RunningSystem;
const shipping = new Gate();

beforeAll(async () => {
  system = await startSystem({ shipping: { holdShipmentLookups: shipping.wait } });
});
afterAll(() => system.stop());

const ORDER_PAGE = gql`
  query OrderPage($id: ID!) {
    order(id: $id) {
      id
      status
      lines { quantity product { id name } }
      ... @defer { shipment { id status } shippingStatus }
    }
  }
`;

it('receives the order, then its deferred shipment, and ends with the full order in its cache', async () => {
  const admin = await Shopper.admin(system.gatewayUrl);
  const productId = await admin.createProduct({ name: 'Client blend', price: '7.00', stock: 10 });
  const customer = await Shopper.customer(system.gatewayUrl, 'defer-apollo');
  const placed = await customer.placeOrder([{ productId, quantity: 2 }], randomUUID());
  const orderId = placed.data.placeOrder.id as string;
  const client = new ApolloClient({
    link: new HttpLink({ uri: system.gatewayUrl, headers: { authorization: `Bearer ${await customerToken('defer-apollo')}` } }),
    cache: new InMemoryCache(),
    incrementalHandler: new Defer20220824Handler(),
  });
  shipping.close();
  const seen: { dataState: string; shipment: unknown }[] = [];
  const complete = new Promise<void>((resolve, reject) => {
    const subscription = client.watchQuery({ query: ORDER_PAGE, variables: { id: orderId } }).subscribe({
      next: (result) => {
        if (result.error) return reject(result.error);
        const order = (result.data as { order?: { status: string; shipment?: unknown } } | undefined)?.order;
        if (!order) return;
        seen.push({ dataState: result.dataState, shipment: order.shipment });
        // The order is on screen while shipping is still held: now let shipping answer.
        if (result.dataState === 'streaming') shipping.open();
        if (result.dataState === 'complete') {
          subscription.unsubscribe();
          resolve();
        }
      },
      error: reject,
    });
  });
  await complete;
  expect(seen[0]).toEqual({ dataState: 'streaming', shipment: undefined });
  expect(seen.at(-1)).toMatchObject({ dataState: 'complete', shipment: { status: 'PENDING' } });
  const cached = client.cache.extract() as Record<string, any>;
  expect(cached[`Order:${orderId}`]).toMatchObject({ status: 'PAID', shippingStatus: 'PENDING', lines: [{ quantity: 2, product: { __ref: `Product:${productId}` } }] });
  expect(cached[cached[`Order:${orderId}`].shipment.__ref]).toMatchObject({ status: 'PENDING' });
  expect(cached[`Product:${productId}`]).toMatchObject({ name: 'Client blend' });
  client.stop();
});
