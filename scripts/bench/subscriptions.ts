import { randomUUID } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { signDevToken } from '../../lib/auth.js';
import { rssMiB } from './proc.js';
import { BUYER_PREFIX, fetchGraphQL, graphqlBody } from './scenarios.js';
import type { CatalogProduct } from './seed.js';
import type { Gateway } from './services.js';

export const SUBSCRIBERS = 'orderUpdated, 1,000 subscribers (200 in a quick run), one connection each, orders shipped continuously';

export interface SubscriptionReport {
  scenario: string;
  subscribers: number;
  shipped: number;
  /** Subscribers whose SHIPPED event never came. */
  lost: number;
  /** From shipShipment's answer (the change is committed before it answers) to the SHIPPED event,
   *  resolved across the subgraphs: a little under the true latency, by the answer's way back. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** From sending shipShipment: over the true latency, by the mutation's own time. */
  p99FromSendMs: number;
  /** The gateway process's resident memory growth per open subscription. */
  gatewayKiBPerSubscriber: number;
  shipsPerSecond: number;
}

const TRACK = `subscription Track($id: ID!) {
  orderUpdated(id: $id) { id status paymentStatus shippingStatus shipment { status trackingNumber } lines { quantity product { name } } }
}`;
const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id status shipment { id } } }`;
const SHIP = `mutation($id: ID!, $tracking: String!) { shipShipment(id: $id, carrier: "BENCH", trackingNumber: $tracking) { status } }`;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function inBatches<T>(items: T[], width: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await run(items[next++]!);
  }));
}

/**
 * Many customers, each with a paid order and a subscription of their own on its own connection
 * (as browsers would be), then every order shipped through the gateway while they listen: how
 * long a change takes to reach its subscriber, whether any is lost, and what a subscriber costs
 * the gateway in memory.
 */
export async function benchSubscriptions(gateway: Gateway, jwtSecret: string, adminToken: string, catalog: CatalogProduct[], count: number, say: (line: string) => void): Promise<SubscriptionReport> {
  say(`Placing ${count} orders for ${count} subscribers ...`);
  const watchers = await Promise.all(Array.from({ length: count }, (_, i) => signDevToken(jwtSecret, { sub: `${BUYER_PREFIX}watcher-${i + 1}`, ttlSeconds: 3600 })));
  const orders: { token: string; id: string; shipmentId: string }[] = [];
  await inBatches(watchers, 16, async (token) => {
    // An order that ends CANCELLED (a scarce or pricey product) has no shipment and is left out.
    const product = catalog[Math.floor(Math.random() * catalog.length)]!;
    const body = graphqlBody(PLACE, { input: { idempotencyKey: randomUUID(), lines: [{ productId: product.id, quantity: 1 }] } });
    const answer = (await fetchGraphQL(gateway.url, body, { authorization: `Bearer ${token}` })) as { data?: { placeOrder: { id: string; status: string; shipment: { id: string } | null } } };
    const placed = answer.data?.placeOrder;
    if (placed?.shipment) orders.push({ token, id: placed.id, shipmentId: placed.shipment.id });
  });

  const rssBefore = rssMiB(gateway.pid);
  say(`Opening ${orders.length} subscriptions ...`);
  const clients: Client[] = [];
  const sentAt = new Map<string, number>();
  const answeredAt = new Map<string, number>();
  const receivedAt = new Map<string, number>();
  let ready = 0;
  let allReady: () => void;
  const subscribed = new Promise<void>((resolve) => (allReady = resolve));
  const wsUrl = gateway.url.replace(/^http/, 'ws');
  for (const order of orders) {
    const client = createClient({ url: wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${order.token}` }, retryAttempts: 0 });
    clients.push(client);
    let first = true;
    client.subscribe({ query: TRACK, variables: { id: order.id } }, {
      next: (event) => {
        const updated = (event.data as { orderUpdated?: { shippingStatus: string } } | undefined)?.orderUpdated;
        if (first && updated) {
          first = false;
          if (++ready === orders.length) allReady();
        }
        if (updated?.shippingStatus === 'SHIPPED' && !receivedAt.has(order.id)) receivedAt.set(order.id, performance.now());
      },
      error: () => undefined,
      complete: () => undefined,
    });
  }
  await Promise.race([subscribed, new Promise((resolve) => setTimeout(resolve, 60_000))]);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const rssAfter = rssMiB(gateway.pid);

  say(`Shipping ${orders.length} orders while ${ready} subscribers listen ...`);
  const started = performance.now();
  await inBatches(orders, 8, async (order) => {
    sentAt.set(order.id, performance.now());
    await fetchGraphQL(gateway.url, graphqlBody(SHIP, { id: order.shipmentId, tracking: `T-${order.id.slice(0, 8)}` }), { authorization: `Bearer ${adminToken}` });
    answeredAt.set(order.id, performance.now());
  });
  const shippingSeconds = (performance.now() - started) / 1000;
  const deadline = performance.now() + 15_000;
  while (receivedAt.size < orders.length && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  await Promise.all(clients.map((client) => client.dispose()));

  const delays = (from: Map<string, number>) =>
    [...receivedAt].map(([id, at]) => Math.max(0, at - from.get(id)!)).sort((a, b) => a - b);
  const sorted = delays(answeredAt);
  return {
    scenario: SUBSCRIBERS,
    subscribers: ready,
    shipped: orders.length,
    lost: orders.length - receivedAt.size,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.at(-1) ?? 0,
    p99FromSendMs: percentile(delays(sentAt), 99),
    gatewayKiBPerSubscriber: ready > 0 ? ((rssAfter - rssBefore) * 1024) / ready : 0,
    shipsPerSecond: orders.length / shippingSeconds,
  };
}

export function formatSubscriptionReport(report: SubscriptionReport): string {
  return [
    '| scenario | subscribers | shipped | lost | p50 ms | p99 ms | max ms | p99 ms from the send | gateway KiB/subscriber | ships/s |',
    '|---|---|---|---|---|---|---|---|---|---|',
    `| ${report.scenario} | ${report.subscribers} | ${report.shipped} | ${report.lost} | ${report.p50Ms.toFixed(1)} | ${report.p99Ms.toFixed(1)} | ${report.maxMs.toFixed(0)} | ${report.p99FromSendMs.toFixed(0)} | ${report.gatewayKiBPerSubscriber.toFixed(1)} | ${report.shipsPerSecond.toFixed(0)} |`,
    'Latency: committed (shipShipment answered) to the SHIPPED event received, with lines, payment and shipment from their subgraphs.',
  ].join('\n');
}
