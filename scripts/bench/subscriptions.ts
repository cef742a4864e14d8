import { randomUUID } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { signDevToken } from '../../lib/auth.js';
import { rssMiB } from './proc.js';
import { BUYER_PREFIX, fetchGraphQL, graphqlBody } from './scenarios.js';
import type { CatalogProduct } from './seed.js';
import type { Gateway } from './services.js';

export const SUBSCRIBERS = 'orderUpdated, 1,000 subscribers (200 in a quick run), one connection each';

/** One wave of changes, one per order, while every subscriber listens. */
export interface SubscriptionPhase {
  /** What changed and how fast it was sent. */
  wave: string;
  events: number;
  /** Subscribers whose event of this wave never came. */
  lost: number;
  /** From the mutation's answer (the change is committed before it answers) to the event,
   *  resolved across the subgraphs: a little under the true latency, by the answer's way back. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** From sending the mutation: over the true latency, by the mutation's own time. */
  p99FromSendMs: number;
  changesPerSecond: number;
}

export interface SubscriptionReport {
  scenario: string;
  subscribers: number;
  shipped: number;
  /** Events that never reached their subscriber, over every wave. */
  lost: number;
  phases: SubscriptionPhase[];
  /** The gateway process's resident memory growth per open subscription. */
  gatewayKiBPerSubscriber: number;
}

/** A steady rate of changes, well within what the system sustains: latency without a queue. */
export const PACED_CHANGES_PER_SECOND = 50;

const TRACK = `subscription Track($id: ID!) {
  orderUpdated(id: $id) { id status paymentStatus shippingStatus shipment { status trackingNumber } lines { quantity product { name } } }
}`;
const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id status shipment { id } } }`;
const SHIP = `mutation($id: ID!, $tracking: String!) { shipShipment(id: $id, carrier: "BENCH", trackingNumber: $tracking) { status } }`;
const DELIVER = `mutation($id: ID!) { deliverShipment(id: $id) { status } }`;
type Status = 'SHIPPED' | 'DELIVERED';

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function inBatches<T>(items: T[], width: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await run(items[next++]!);
  }));
}

/**
 * Many customers, each with a paid order and a subscription of their own on its own connection
 * (as browsers would be), then two waves of changes through the gateway while they listen: every
 * order shipped at a steady rate (the latency a subscriber sees), then every order delivered as
 * fast as the admins can send (what a burst does to it). Whether any event is lost, and what a
 * subscriber costs the gateway in memory.
 */
export async function benchSubscriptions(gateway: Gateway, jwtSecret: string, adminToken: string, catalog: CatalogProduct[], count: number, say: (line: string) => void): Promise<SubscriptionReport> {
  say(`Placing ${count} orders for ${count} subscribers ...`);
  const watchers = await Promise.all(Array.from({ length: count }, (_, i) => signDevToken(jwtSecret, { sub: `${BUYER_PREFIX}watcher-${i + 1}`, ttlSeconds: 3600 })));
  const orders: Order[] = [];
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
  const receivedAt: Record<Status, Map<string, number>> = { SHIPPED: new Map(), DELIVERED: new Map() };
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
        const seen = receivedAt[updated?.shippingStatus as Status] as Map<string, number> | undefined;
        if (seen && !seen.has(order.id)) seen.set(order.id, performance.now());
      },
      error: () => undefined,
      complete: () => undefined,
    });
  }
  await Promise.race([subscribed, new Promise((resolve) => setTimeout(resolve, 60_000))]);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const rssAfter = rssMiB(gateway.pid);

  const mutate = async (body: string) => void (await fetchGraphQL(gateway.url, body, { authorization: `Bearer ${adminToken}` }));
  say(`Shipping ${orders.length} orders, ${PACED_CHANGES_PER_SECOND} a second, while ${ready} subscribers listen ...`);
  const paced = await measureWave(orders, receivedAt.SHIPPED, `shipShipment, ${PACED_CHANGES_PER_SECOND} a second`, (all, change) => atRate(all, PACED_CHANGES_PER_SECOND, change), (order) =>
    mutate(graphqlBody(SHIP, { id: order.shipmentId, tracking: `T-${order.id.slice(0, 8)}` })),
  );
  say(`Delivering ${orders.length} orders as fast as 8 admins can ...`);
  const burst = await measureWave(orders, receivedAt.DELIVERED, 'deliverShipment, as fast as 8 admins send', (all, change) => inBatches(all, 8, change), (order) =>
    mutate(graphqlBody(DELIVER, { id: order.shipmentId })),
  );
  await Promise.all(clients.map((client) => client.dispose()));
  return {
    scenario: SUBSCRIBERS,
    subscribers: ready,
    shipped: orders.length,
    lost: paced.lost + burst.lost,
    phases: [paced, burst],
    gatewayKiBPerSubscriber: ready > 0 ? ((rssAfter - rssBefore) * 1024) / ready : 0,
  };
}

interface Order {
  token: string;
  id: string;
  shipmentId: string;
}

/** Sends `change` for each item at its own moment of a steady rate, not waiting for the ones before. */
async function atRate<T>(items: T[], perSecond: number, change: (item: T) => Promise<void>): Promise<void> {
  const started = performance.now();
  await Promise.all(items.map(async (item, i) => {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + (i * 1000) / perSecond - performance.now())));
    await change(item);
  }));
}

/** One change per order, sent as `send` paces them; then the wait for every event, 15 s at most. */
type Sender = (orders: Order[], change: (order: Order) => Promise<void>) => Promise<void>;

async function measureWave(orders: Order[], receivedAt: Map<string, number>, wave: string, send: Sender, change: (order: Order) => Promise<void>): Promise<SubscriptionPhase> {
  const sentAt = new Map<string, number>();
  const answeredAt = new Map<string, number>();
  const started = performance.now();
  await send(orders, async (order) => {
    sentAt.set(order.id, performance.now());
    await change(order);
    answeredAt.set(order.id, performance.now());
  });
  const seconds = (performance.now() - started) / 1000;
  const deadline = performance.now() + 15_000;
  while (receivedAt.size < orders.length && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  const delays = (from: Map<string, number>) => [...receivedAt].map(([id, at]) => Math.max(0, at - from.get(id)!)).sort((a, b) => a - b);
  const sorted = delays(answeredAt);
  return {
    wave,
    events: receivedAt.size,
    lost: orders.length - receivedAt.size,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.at(-1) ?? 0,
    p99FromSendMs: percentile(delays(sentAt), 99),
    changesPerSecond: orders.length / seconds,
  };
}

export function formatSubscriptionReport(report: SubscriptionReport): string {
  return [
    `${report.scenario}: ${report.subscribers} subscribers, ${report.gatewayKiBPerSubscriber.toFixed(1)} KiB of gateway memory each.`,
    '| wave | changes/s | events | lost | p50 ms | p99 ms | max ms | p99 ms from the send |',
    '|---|---|---|---|---|---|---|---|',
    ...report.phases.map((phase) => `| ${phase.wave} | ${phase.changesPerSecond.toFixed(0)} | ${phase.events} | ${phase.lost} | ${phase.p50Ms.toFixed(1)} | ${phase.p99Ms.toFixed(1)} | ${phase.maxMs.toFixed(0)} | ${phase.p99FromSendMs.toFixed(0)} |`),
    'Latency: committed (the mutation answered) to the event received, with lines, payment and shipment from their subgraphs.',
  ].join('\n');
}
