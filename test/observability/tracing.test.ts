import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '../../lib/log.js';
import { buildPaymentServer } from '../../subgraphs/payment/src/server.js';
import { buildShippingServer } from '../../subgraphs/shipping/src/server.js';
import { testAuth, TEST_JWT_SECRET, TEST_SERVICE_CREDENTIAL } from '../support/auth.js';
import { createTestDatabase } from '../support/database.js';
import { networkGuard } from '../support/egress.js';
import { gql } from '../support/graphql.js';
import { spawnService, waitFor, type ServiceProcess } from '../support/processes.js';
import { Shopper } from '../support/shop.js';

interface ExportedSpan {
  service: string;
  scope: string;
  name: string;
  traceId: string;
  parentSpanId?: string;
  spanId: string;
  /** OTLP's SpanKind: 3 is a client's call. */
  kind: number;
}

const CLIENT = 3;

/** A stand-in for an OpenTelemetry collector: takes OTLP/HTTP JSON trace exports and keeps their spans. */
async function startCollector(): Promise<{ endpoint: string; spans: ExportedSpan[]; paths: string[]; stop: () => Promise<void> }> {
  const spans: ExportedSpan[] = [];
  const paths: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      paths.push(`${req.method} ${req.url}`);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { scope: { name: string }; spans: Omit<ExportedSpan, 'service' | 'scope'>[] }[] }[];
      };
      for (const { resource, scopeSpans } of body.resourceSpans) {
        const service = resource.attributes.find((attribute) => attribute.key === 'service.name')?.value.stringValue ?? '';
        for (const { scope, spans: exported } of scopeSpans) {
          for (const span of exported) spans.push({ service, scope: scope.name, name: span.name, traceId: span.traceId, spanId: span.spanId, parentSpanId: span.parentSpanId || undefined, kind: span.kind });
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    paths,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const running: { stop: () => Promise<unknown> }[] = [];
afterAll(async () => {
  for (const item of running.splice(0).reverse()) await item.stop();
});

describe('OpenTelemetry traces', () => {
  it('are exported by OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set: one trace from the gateway through the subgraphs and the saga to PostgreSQL', async () => {
    const collector = await startCollector();
    running.push(collector);
    // Under the network guard: with tracing on, the collector is the only place spans may go.
    const guard = networkGuard();
    const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint, OTEL_BSP_SCHEDULE_DELAY: '100', ...guard.env };
    const product: ServiceProcess = await spawnService('product', {
      DATABASE_URL: await createTestDatabase('product'),
      JWT_SECRET: TEST_JWT_SECRET,
      SERVICE_CREDENTIAL: TEST_SERVICE_CREDENTIAL,
      ...otel,
    });
    running.push({ stop: () => product.kill() });
    // Payment runs untraced, in this process: a service without the setting simply has no spans.
    const payment = await buildPaymentServer(
      { port: 0, databaseUrl: await createTestDatabase('payment'), ...testAuth, processor: { declineThreshold: '1000.00', latencyMs: 0, failureRate: 0 } },
      createLogger('payment', 'silent'),
    );
    running.push(payment);
    const shipping = await buildShippingServer({ port: 0, databaseUrl: await createTestDatabase('shipping'), ...testAuth }, createLogger('shipping', 'silent'));
    running.push(shipping);
    const order: ServiceProcess = await spawnService('order', {
      DATABASE_URL: await createTestDatabase('order'),
      PRODUCT_URL: product.url,
      PAYMENT_URL: payment.url,
      SHIPPING_URL: shipping.url,
      JWT_SECRET: TEST_JWT_SECRET,
      SERVICE_CREDENTIAL: TEST_SERVICE_CREDENTIAL,
      ...otel,
    });
    running.push({ stop: () => order.kill() });
    const gateway: ServiceProcess = await spawnService('gateway', {
      PRODUCT_URL: product.url,
      PAYMENT_URL: payment.url,
      SHIPPING_URL: shipping.url,
      ORDER_URL: order.url,
      JWT_SECRET: TEST_JWT_SECRET,
      GATEWAY_WORKERS: '1',
      ...otel,
    });
    running.push({ stop: () => gateway.kill() });

    const response = await gql(gateway.url, `query Catalog { products(first: 2) { totalCount } }`);
    expect(response.data.products.totalCount).toBe(0);

    // The product subgraph's server span for the gateway's fetch has a parent in another process.
    const fetched = await waitFor('the product subgraph\'s span of the gateway\'s fetch', async () =>
      collector.spans.find((span) => span.service === 'product' && span.scope.includes('instrumentation-http') && span.parentSpanId !== undefined),
    );
    expect(collector.paths.every((path) => path === 'POST /v1/traces')).toBe(true);
    const scopesIn = (service: string) => new Set(collector.spans.filter((span) => span.traceId === fetched.traceId && span.service === service).map((span) => span.scope));
    // Each process exports in batches, and a server span ends (and is sent) after its children:
    // wait for the whole set rather than for the first spans of each service.
    const expected = {
      gateway: ['@opentelemetry/instrumentation-http', '@opentelemetry/instrumentation-graphql', 'apollo/gateway-js'],
      product: ['@opentelemetry/instrumentation-http', '@opentelemetry/instrumentation-express', '@opentelemetry/instrumentation-graphql', '@opentelemetry/instrumentation-pg'],
    };
    const complete = () => Object.entries(expected).every(([service, scopes]) => scopes.every((scope) => scopesIn(service).has(scope)));
    await waitFor('every span of the trace', async () => complete()).catch(() => undefined);
    expect([...scopesIn('gateway')]).toEqual(expect.arrayContaining(expected.gateway));
    expect([...scopesIn('product')]).toEqual(expect.arrayContaining(expected.product));

    // The saga's calls (node:http) carry the trace on: the product subgraph's reservation is a child
    // of the order subgraph's client span, in the trace the gateway started.
    const admin = await Shopper.admin(product.url);
    const productId = await admin.createProduct({ price: '3.00', stock: 5 });
    const customer = await Shopper.customer(gateway.url, 'traced');
    expect((await customer.placeOrder([{ productId, quantity: 1 }])).data.placeOrder.status).toBe('PAID');
    const sagaCall = await waitFor('the order subgraph\'s saga call span', async () =>
      collector.spans.find((span) => span.service === 'order' && span.scope.includes('instrumentation-http') && span.kind === CLIENT),
    );
    await waitFor('the product subgraph\'s span under the saga call', async () =>
      collector.spans.find((span) => span.service === 'product' && span.parentSpanId === sagaCall.spanId && span.traceId === sagaCall.traceId),
    );
    expect(collector.spans.some((span) => span.service === 'gateway' && span.traceId === sagaCall.traceId)).toBe(true);
    expect(guard.blocked()).toEqual([]);
  }, 60_000);
});
