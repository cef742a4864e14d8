import { randomUUID } from 'node:crypto';
import type { RunningServer } from '../../../lib/http.js';
import { createLogger } from '../../../lib/log.js';
import { readMetric } from '../../../lib/metrics.js';
import { adminToken, customerToken, serviceHeaders, testAuth } from '../../../test/support/auth.js';
import { createTestDatabase } from '../../../test/support/database.js';
import { bearer, gql } from '../../../test/support/graphql.js';
import { readShippingConfig } from '../src/config.js';
import { buildShippingServer } from '../src/server.js';

const CREATE = `mutation($orderId: ID!, $customerId: ID!) { createShipment(orderId: $orderId, customerId: $customerId) { id orderId status } }`;
const CANCEL = `mutation($orderId: ID!) { cancelShipment(orderId: $orderId) { id orderId status } }`;
const ORDER_ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { id shippingStatus shipment { id status } } } }`;
const SHIPMENT_ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Shipment { id orderId status } } }`;

let server: RunningServer;

beforeAll(async () => {
  server = await buildShippingServer({ port: 0, databaseUrl: await createTestDatabase('shipping'), ...testAuth }, createLogger('shipping', 'silent'));
});
afterAll(() => server.stop());

const service = async (query: string, variables: Record<string, unknown>) => (await gql(server.url, query, variables, serviceHeaders)).data;
const statements = async () => readMetric(await (await fetch(server.url.replace('/graphql', '/metrics'))).text(), 'db_sql_statements_total');

describe('shipping configuration', () => {
  it('listens on 4004 by default', () => {
    expect(readShippingConfig({}).port).toBe(4004);
  });
});

describe('the shipping subgraph', () => {
  it('stores an order id in lower case, so one order never gets two shipments', async () => {
    const orderId = randomUUID();
    const first = (await service(CREATE, { orderId: orderId.toUpperCase(), customerId: 'c-1' })).createShipment;
    const again = (await service(CREATE, { orderId, customerId: 'c-1' })).createShipment;
    expect(again).toEqual(first);
    expect(first.orderId).toBe(orderId);
  });

  it('cancels a PENDING shipment, and leaves a shipped one as it is', async () => {
    const orderId = randomUUID();
    const { id } = (await service(CREATE, { orderId, customerId: 'c-2' })).createShipment;
    expect((await service(CANCEL, { orderId })).cancelShipment).toEqual({ id, orderId, status: 'CANCELLED' });
    expect((await service(CANCEL, { orderId })).cancelShipment.status).toBe('CANCELLED');

    const shippedOrder = randomUUID();
    const shipped = (await service(CREATE, { orderId: shippedOrder, customerId: 'c-2' })).createShipment;
    const admin = bearer(await adminToken());
    await gql(server.url, `mutation($id: ID!) { shipShipment(id: $id, carrier: "UPS", trackingNumber: "1Z") { status } }`, { id: shipped.id }, admin);
    expect((await service(CANCEL, { orderId: shippedOrder })).cancelShipment.status).toBe('SHIPPED');
  });

  it("answers a page of orders' shipments in one SELECT, showing a customer only theirs and nobody the cancel marker", async () => {
    const mine = randomUUID();
    const theirs = randomUUID();
    const marked = randomUUID();
    await service(CREATE, { orderId: mine, customerId: 'c-3' });
    await service(CREATE, { orderId: theirs, customerId: 'someone-else' });
    await service(CANCEL, { orderId: marked });
    const representations = [mine, theirs, marked, randomUUID()].map((id) => ({ __typename: 'Order', id }));
    const before = await statements();
    const { data } = await gql(server.url, ORDER_ENTITIES, { r: representations }, bearer(await customerToken('c-3')));
    expect(await statements()).toBe(before + 1);
    expect(data._entities.map((order: { shippingStatus: string | null }) => order.shippingStatus)).toEqual(['PENDING', null, null, null]);
    const admin = await gql(server.url, ORDER_ENTITIES, { r: representations }, bearer(await adminToken()));
    expect(admin.data._entities.map((order: { shippingStatus: string | null }) => order.shippingStatus)).toEqual(['PENDING', 'PENDING', null, null]);
  });

  it('resolves shipments by id for the gateway, null for an id that names none', async () => {
    const orderId = randomUUID();
    const { id } = (await service(CREATE, { orderId, customerId: 'c-4' })).createShipment;
    const { data } = await gql(server.url, SHIPMENT_ENTITIES, { r: [{ __typename: 'Shipment', id }, { __typename: 'Shipment', id: 'nope' }] }, bearer(await adminToken()));
    expect(data._entities).toEqual([{ id, orderId, status: 'PENDING' }, null]);
  });
});
