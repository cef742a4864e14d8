import { readMetric } from '../../lib/metrics.js';
import { Shopper } from '../support/shop.js';
import { startSystem, type RunningSystem } from '../support/system.js';

let system: RunningSystem;
afterAll(() => system?.stop());

async function metricsOf(graphqlUrl: string): Promise<string> {
  return (await fetch(graphqlUrl.replace('/graphql', '/metrics'))).text();
}

/** The value of one series, picked by some of its labels. */
function series(text: string, name: string, labels: Record<string, string>): number | undefined {
  const line = text
    .split('\n')
    .find((candidate) => candidate.startsWith(`${name}{`) && Object.entries(labels).every(([key, value]) => candidate.includes(`${key}="${value}"`)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('Prometheus metrics', () => {
  it('count operations by name, errors by code, database pool use on the subgraphs and subgraph fetches by subgraph on the gateway', async () => {
    system = await startSystem();
    const admin = await Shopper.admin(system.gatewayUrl);
    const productId = await admin.createProduct({ price: '4.00', stock: 5 });
    const customer = await Shopper.customer(system.gatewayUrl, 'metrics-customer');
    expect((await customer.placeOrder([{ productId, quantity: 1 }])).data.placeOrder.status).toBe('PAID');
    await customer.request(`query MyOrders { myOrders(first: 5) { edges { node { id paymentStatus shippingStatus lines { product { name } } } } } }`);
    await Shopper.anonymous(system.gatewayUrl).request(`query MyOrders { myOrders { totalCount } }`);

    const gateway = await metricsOf(system.gatewayUrl);
    expect(series(gateway, 'graphql_operation_duration_seconds_count', { operation: 'MyOrders', type: 'query' })).toBe(2);
    expect(series(gateway, 'graphql_errors_total', { code: 'UNAUTHENTICATED' })).toBeGreaterThanOrEqual(1);
    // The four subgraphs the order and myOrders above reach, named as the query plan goes.
    for (const subgraph of ['product', 'payment', 'shipping', 'order']) {
      expect(series(gateway, 'gateway_subgraph_fetch_duration_seconds_count', { subgraph, outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    }

    // The order subgraph refused the anonymous myOrders itself: counted by the code the client got.
    const order = await metricsOf(system.order.url);
    expect(series(order, 'graphql_errors_total', { code: 'UNAUTHENTICATED' })).toBe(1);
    expect(series(order, 'graphql_errors_total', { code: 'INTERNAL_SERVER_ERROR' })).toBeUndefined();

    for (const server of Object.values(system.subgraphs)) {
      const text = await metricsOf(server.url);
      expect(readMetric(text, 'db_pool_connections_max')).toBe(10);
      // The requests above opened connections that wait, idle, for the next ones.
      expect(readMetric(text, 'db_pool_connections_free')).toBeGreaterThanOrEqual(1);
      expect(text).toMatch(/^db_pool_connections_used\{[^}]*\} \d+$/m);
      expect(text).toMatch(/^db_pool_pending_acquires\{[^}]*\} \d+$/m);
    }
  });

  it('count saga outcomes by CancellationCode and time the saga on the order subgraph', async () => {
    const admin = await Shopper.admin(system.gatewayUrl);
    const cheap = await admin.createProduct({ price: '3.00', stock: 5 });
    const dear = await admin.createProduct({ price: '1500.00', stock: 5 });
    const customer = await Shopper.customer(system.gatewayUrl, 'saga-metrics');
    const before = await metricsOf(system.order.url);
    const paid = (await customer.placeOrder([{ productId: cheap, quantity: 1 }])).data.placeOrder;
    expect(paid.status).toBe('PAID');
    expect((await customer.placeOrder([{ productId: dear, quantity: 1 }])).data.placeOrder.cancellationCode).toBe('PAYMENT_DECLINED');
    expect((await customer.placeOrder([{ productId: cheap, quantity: 9 }])).data.placeOrder.cancellationCode).toBe('OUT_OF_STOCK');
    await customer.request(`mutation($id: ID!) { cancelOrder(id: $id) { status } }`, { id: paid.id });

    const after = await metricsOf(system.order.url);
    const added = (name: string, labels: Record<string, string>) => (series(after, name, labels) ?? 0) - (series(before, name, labels) ?? 0);
    expect(added('order_saga_outcomes_total', { outcome: 'PAID' })).toBe(1);
    expect(added('order_saga_outcomes_total', { outcome: 'PAYMENT_DECLINED' })).toBe(1);
    expect(added('order_saga_outcomes_total', { outcome: 'OUT_OF_STOCK' })).toBe(1);
    expect(added('order_saga_outcomes_total', { outcome: 'CANCELLED_BY_CUSTOMER' })).toBe(1);
    // The saga's own outcomes are timed; a cancellation a person chose is not a saga's duration.
    expect(added('order_saga_duration_seconds_count', { outcome: 'PAID' })).toBe(1);
    expect(added('order_saga_duration_seconds_count', { outcome: 'OUT_OF_STOCK' })).toBe(1);
    expect(series(after, 'order_saga_duration_seconds_count', { outcome: 'CANCELLED_BY_CUSTOMER' })).toBeUndefined();
    expect(readMetric(after, 'order_saga_retries_total')).toBe(0);
  });
});
