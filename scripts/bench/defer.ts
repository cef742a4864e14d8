import { randomUUID } from 'node:crypto';
import { SUBGRAPHS, subgraphUrlVariables } from '../../lib/subgraphs.js';
import type { BenchPostgres } from './postgres.js';
import { freePort, startChild } from './processes.js';
import { fetchGraphQL, graphqlBody } from './scenarios.js';
import type { CatalogProduct } from './seed.js';
import { startOurGateway, type Build, type Secrets, type Subgraph } from './services.js';

export const SHIPPING_LATENCY_MS = 200;
export const DEFERRED = `order page with @defer, shipping slowed by ${SHIPPING_LATENCY_MS} ms, one request at a time`;

export interface DeferReport {
  scenario: string;
  requests: number;
  /** The same query without @defer: the whole answer, which waits for shipping. */
  wholeP50Ms: number;
  wholeP99Ms: number;
  /** With @defer: the initial part (the order, lines and products), which does not. */
  firstPartP50Ms: number;
  firstPartP99Ms: number;
  /** With @defer: the closing boundary, after the shipment's part. */
  lastPartP50Ms: number;
  lastPartP99Ms: number;
}

const ORDER_PAGE = (shipping: string) => `query OrderPage($id: ID!) {
  order(id: $id) { id status totalAmount paymentStatus lines { quantity product { name } } ${shipping} }
}`;
const SHIPPING_FIELDS = 'shippingStatus shipment { status carrier trackingNumber }';
const DEFERRED_QUERY = ORDER_PAGE(`... @defer { ${SHIPPING_FIELDS} }`);
const WHOLE_QUERY = ORDER_PAGE(SHIPPING_FIELDS);
const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

/** Milliseconds to the end of the first part and to the closing boundary of one @defer request. */
async function timeDeferred(url: string, body: string, authorization: string): Promise<{ first: number; last: number }> {
  const sent = performance.now();
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'multipart/mixed;deferSpec=20220824,application/json', authorization }, body });
  if (!response.headers.get('content-type')?.startsWith('multipart/mixed')) throw new Error(`no multipart answer: ${await response.text()}`);
  const decoder = new TextDecoder();
  let text = '';
  let first: number | undefined;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    text += decoder.decode(chunk, { stream: true });
    // The opening delimiter, then the first part ended by the next one.
    if (first === undefined && text.split('\r\n---').length > 2) first = performance.now() - sent;
  }
  if (!text.endsWith('-----\r\n') || first === undefined) throw new Error(`an incomplete multipart answer: ${text.slice(0, 300)}`);
  return { first, last: performance.now() - sent };
}

/**
 * The order page as a frontend would ask for it, through a gateway of its own whose shipping
 * subgraph (a second process on the same database) takes SHIPPING_LATENCY_MS longer to look up
 * shipments: how soon the page has something to show with @defer, and when it is complete,
 * against the same query without @defer. One request at a time, alternating, so the figures are
 * latencies, not queueing.
 */
export async function benchDefer(
  build: Build,
  root: string,
  postgres: BenchPostgres,
  subgraphs: Record<string, Subgraph>,
  secrets: Secrets,
  buyerToken: string,
  catalog: CatalogProduct[],
  requests: number,
  say: (line: string) => void,
): Promise<DeferReport> {
  say(`Starting a shipping subgraph slowed by ${SHIPPING_LATENCY_MS} ms and a gateway in front of it ...`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/graphql`;
  const urls = { ...Object.fromEntries(Object.entries(subgraphs).map(([name, subgraph]) => [name, subgraph.url])), shipping: url };
  const env = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    JWT_SECRET: secrets.jwtSecret,
    SERVICE_CREDENTIAL: secrets.serviceCredential,
    ...(subgraphUrlVariables(urls) as Record<string, string>),
    PORT: String(port),
    DATABASE_URL: postgres.databaseUrl(SUBGRAPHS.find(({ name }) => name === 'shipping')!.database),
    SHIPPING_LATENCY_MS: String(SHIPPING_LATENCY_MS),
  };
  const slowShipping = await startChild('shipping (slowed)', build.entry('shipping'), env, url.replace('/graphql', '/ready'));
  try {
    const gateway = await startOurGateway(build, root, { ...subgraphs, shipping: { url } }, secrets, 1);
    try {
      const authorization = `Bearer ${buyerToken}`;
      const placed = (await fetchGraphQL(gateway.url, graphqlBody(PLACE, { input: { idempotencyKey: randomUUID(), lines: [{ productId: (catalog[1] ?? catalog[0])!.id, quantity: 1 }] } }), { authorization })) as { data: { placeOrder: { id: string } } };
      const variables = { id: placed.data.placeOrder.id };
      const [deferredBody, wholeBody] = [graphqlBody(DEFERRED_QUERY, variables), graphqlBody(WHOLE_QUERY, variables)];
      say(`Measuring ${DEFERRED} (${requests} requests each way) ...`);
      const whole: number[] = [];
      const firsts: number[] = [];
      const lasts: number[] = [];
      for (let i = 0; i < requests; i += 1) {
        const sent = performance.now();
        await fetchGraphQL(gateway.url, wholeBody, { authorization });
        whole.push(performance.now() - sent);
        const { first, last } = await timeDeferred(gateway.url, deferredBody, authorization);
        firsts.push(first);
        lasts.push(last);
      }
      return {
        scenario: DEFERRED,
        requests,
        wholeP50Ms: percentile(whole, 50),
        wholeP99Ms: percentile(whole, 99),
        firstPartP50Ms: percentile(firsts, 50),
        firstPartP99Ms: percentile(firsts, 99),
        lastPartP50Ms: percentile(lasts, 50),
        lastPartP99Ms: percentile(lasts, 99),
      };
    } finally {
      await gateway.stop();
    }
  } finally {
    await slowShipping.stop();
  }
}

export function formatDeferReport(report: DeferReport): string {
  return [
    '| scenario | requests | without @defer p50 / p99 ms | first part p50 / p99 ms | last part p50 / p99 ms |',
    '|---|---|---|---|---|',
    `| ${report.scenario} | ${report.requests} | ${report.wholeP50Ms.toFixed(1)} / ${report.wholeP99Ms.toFixed(1)} | ${report.firstPartP50Ms.toFixed(1)} / ${report.firstPartP99Ms.toFixed(1)} | ${report.lastPartP50Ms.toFixed(1)} / ${report.lastPartP99Ms.toFixed(1)} |`,
    'First part: the order, its lines and product names; last part: its shipment, from the slowed shipping subgraph.',
  ].join('\n');
}
