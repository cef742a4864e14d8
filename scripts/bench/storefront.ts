import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadRequest, RequestSpec } from './load.js';
import { fetchGraphQL, graphqlBody } from './scenarios.js';
import { seededRandom, SHOPPER_TERMS, type CatalogProduct, type PastOrder } from './seed.js';

/** The web client's own operations (clients/web/src/operations), so the load is what it sends. */
function storefrontOperations(root: string) {
  const read = (name: string) => readFileSync(join(root, 'clients', 'web', 'src', 'operations', `${name}.graphql`), 'utf8');
  const details = read('OrderDetails');
  return { products: read('Products'), myOrders: read('MyOrders'), order: `${read('Order')}\n${details}`, placeOrder: `${read('PlaceOrder')}\n${details}` };
}

export interface Shoppers {
  /** Customer id → token: the customers of the seeded history, so their order pages have orders. */
  tokens: Map<string, string>;
  /** Orders of those customers, for the order detail page. */
  orders: PastOrder[];
}

const PAGE = 12;

/**
 * The cursor of every page a shopper may land on: the first pages of the whole catalog and the
 * first two of each search. Cursors are opaque, so they are read from the gateway once.
 */
async function pageCursors(url: string, query: string): Promise<{ search: string | null; after: string | null }[]> {
  const pages: { search: string | null; after: string | null }[] = [];
  const walk = async (search: string | null, depth: number) => {
    let after: string | null = null;
    for (let page = 0; page < depth; page += 1) {
      pages.push({ search, after });
      const body = (await fetchGraphQL(url, graphqlBody(query, { first: PAGE, after, search }))) as { data?: { products: { pageInfo: { hasNextPage: boolean; endCursor: string | null } } } };
      const info = body.data?.products.pageInfo;
      if (!info?.hasNextPage || !info.endCursor) break;
      after = info.endCursor;
    }
  };
  await walk(null, 10);
  for (const term of SHOPPER_TERMS) await walk(term, 2);
  return pages;
}

export interface StorefrontMix {
  load: LoadRequest;
  /** A few requests of each kind, for comparing what two gateways answer. */
  samples: { name: string; request: RequestSpec }[];
}

/**
 * What the storefront's traffic looks like: 60% anonymous browsing and searching (varied terms
 * and pages), 20% a customer's order list, 10% one order's page, 10% placing an order, each
 * from one of many customers with a token of their own. Orders are placed by `buyerTokens`, not
 * by the history's customers, so the stock check can count exactly the orders the load placed.
 */
export async function storefrontMix(root: string, gatewayUrl: string, shoppers: Shoppers, catalog: CatalogProduct[], buyerTokens: string[], seed = 11): Promise<StorefrontMix> {
  const operations = storefrontOperations(root);
  const pages = await pageCursors(gatewayUrl, operations.products);
  const customers = [...shoppers.tokens.keys()];
  const ordersOf = shoppers.orders.filter((order) => shoppers.tokens.has(order.customerId));
  const auth = (customerId: string) => ({ authorization: `Bearer ${shoppers.tokens.get(customerId)!}` });
  const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

  const browse = (random: () => number): RequestSpec => ({ body: graphqlBody(operations.products, { first: PAGE, ...pick(random, pages) }), headers: {} });
  const myOrders = (random: () => number): RequestSpec => ({ body: graphqlBody(operations.myOrders, { first: 10 }), headers: auth(pick(random, customers)) });
  const order = (random: () => number): RequestSpec => {
    const chosen = pick(random, ordersOf);
    return { body: graphqlBody(operations.order, { id: chosen.id }), headers: auth(chosen.customerId) };
  };
  const placeOrder = (random: () => number): RequestSpec => {
    const ids = new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(random, catalog).id));
    const lines = [...ids].map((productId) => ({ productId, quantity: 1 + Math.floor(random() * 2) }));
    return { body: graphqlBody(operations.placeOrder, { input: { idempotencyKey: randomUUID(), lines } }), headers: { authorization: `Bearer ${pick(random, buyerTokens)}` } };
  };

  const random = seededRandom(seed);
  const next = (): RequestSpec => {
    const draw = random();
    if (draw < 0.6) return browse(random);
    if (draw < 0.8) return myOrders(random);
    if (draw < 0.9) return order(random);
    return placeOrder(random);
  };
  const sampleRandom = seededRandom(seed + 1);
  const samples = [
    ...Array.from({ length: 4 }, (_, i) => ({ name: `storefront browse ${i + 1}`, request: browse(sampleRandom) })),
    ...Array.from({ length: 2 }, (_, i) => ({ name: `storefront my orders ${i + 1}`, request: myOrders(sampleRandom) })),
    ...Array.from({ length: 2 }, (_, i) => ({ name: `storefront order page ${i + 1}`, request: order(sampleRandom) })),
  ];
  return { load: { next }, samples };
}
