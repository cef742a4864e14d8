import '../support/apollo-dev-mode.js';
import { randomUUID } from 'node:crypto';
import { ApolloClient, gql, HttpLink, InMemoryCache, type ApolloLink } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { customerToken } from '../support/auth.js';
import { Shopper } from '../support/shop.js';
import { wsUrlOf } from '../support/subscriptions.js';
import { startSystem, type RunningSystem } from '../support/system.js';

/**
 * Apollo Client 4 subscribing as a frontend would: GraphQLWsLink over graphql-ws, and a plain
 * HttpLink, which speaks multipart subscriptions with no extra link. Each ends with the shipped
 * order in its normalised cache, the same object a query of the order reads.
 */
let system: RunningSystem;
let admin: Shopper;
let customer: Shopper;
let token: string;
let productId: string;

const ORDER_UPDATED = gql`
  subscription OrderUpdated($id: ID!) {
    orderUpdated(id: $id) { id status paymentStatus shippingStatus shipment { id status trackingNumber } lines { productId product { id name } } }
  }
`;

beforeAll(async () => {
  system = await startSystem();
  admin = await Shopper.admin(system.gatewayUrl);
  token = await customerToken('apollo-subscriber');
  customer = await Shopper.customer(system.gatewayUrl, 'apollo-subscriber');
  productId = await admin.createProduct({ name: 'Apollo blend', price: '9.00', stock: 50 });
});
afterAll(() => system.stop());

const links: [string, () => { link: ApolloLink; close: () => Promise<void> }][] = [
  [
    'GraphQLWsLink',
    () => {
      const client = createClient({ url: wsUrlOf(system.gatewayUrl), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` } });
      return { link: new GraphQLWsLink(client), close: () => client.dispose() as Promise<void> };
    },
  ],
  ['HttpLink (multipart)', () => ({ link: new HttpLink({ uri: system.gatewayUrl, headers: { authorization: `Bearer ${token}` } }), close: async () => {} })],
];

it.each(links)('%s receives the paid order, then the shipped one, into its cache', async (_name, makeLink) => {
  const { data } = await customer.request(`mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id shipment { id } } }`, {
    input: { idempotencyKey: randomUUID(), lines: [{ productId, quantity: 1 }] },
  });
  const orderId = data.placeOrder.id as string;
  const { link, close } = makeLink();
  const client = new ApolloClient({ link, cache: new InMemoryCache() });
  const statuses: (string | null)[] = [];
  let shipped: () => void;
  const done = new Promise<void>((resolve) => (shipped = resolve));
  let failure: unknown;
  const subscription = client.subscribe({ query: ORDER_UPDATED, variables: { id: orderId } }).subscribe({
    next: (result) => {
      if (result.error) failure = result.error;
      const order = (result.data as { orderUpdated?: { shippingStatus: string | null } } | undefined)?.orderUpdated;
      if (!order) return;
      statuses.push(order.shippingStatus);
      if (order.shippingStatus === 'PENDING' && statuses.length === 1) {
        void admin.request(`mutation($id: ID!) { shipShipment(id: $id, carrier: "FedEx", trackingNumber: "AC-4") { status } }`, { id: data.placeOrder.shipment.id });
      }
      if (order.shippingStatus === 'SHIPPED') shipped();
    },
    error: (error) => {
      failure = error;
      shipped();
    },
  });
  await done;
  subscription.unsubscribe();
  expect(failure).toBeUndefined();
  expect(statuses).toEqual(['PENDING', 'SHIPPED']);
  const cached = client.cache.extract() as Record<string, any>;
  expect(cached[`Order:${orderId}`]).toMatchObject({ status: 'PAID', paymentStatus: 'COMPLETED', shippingStatus: 'SHIPPED' });
  const shipmentRef = cached[`Order:${orderId}`].shipment.__ref as string;
  expect(cached[shipmentRef]).toMatchObject({ status: 'SHIPPED', trackingNumber: 'AC-4' });
  expect(cached[`Product:${productId}`]).toMatchObject({ name: 'Apollo blend' });
  client.stop();
  await close();
});
