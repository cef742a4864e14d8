import { randomUUID } from 'node:crypto';
import type { LoadRequest } from './load.js';
import { SEARCH_TERMS, seededRandom, type CatalogProduct } from './seed.js';

export const PRODUCT_SEARCH = `query ProductSearch($search: String!) {
  products(first: 20, filter: { search: $search }) {
    edges { node { id name price stock } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** The admin's order page: one fetch from each subgraph (orders, then payments, shipments and products). */
export const ADMIN_ORDERS = `query AdminOrders($first: Int!) {
  orders(first: $first) {
    edges { node {
      id status totalAmount createdAt
      lines { quantity unitPrice product { name price stock } }
      paymentStatus
      payment { amount }
      shipment { status carrier }
    } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** The admin's order page with the count it shows: bounded (`count`), or exact (`totalCount`),
 *  which reads every order of the history. */
export const ADMIN_ORDERS_COUNTED = ADMIN_ORDERS.replace('orders(first: $first) {', 'orders(first: $first) {\n    count { count precision }');
export const ADMIN_ORDERS_TOTAL = ADMIN_ORDERS.replace('orders(first: $first) {', 'orders(first: $first) {\n    totalCount');

/** One fetch from the order subgraph: placeOrder provides paymentStatus (test/place-order-statements.test.ts). */
export const BENCH_PLACE_ORDER = `mutation PlaceOrder($input: PlaceOrderInput!) {
  placeOrder(input: $input) { id status totalAmount paymentStatus cancellationCode }
}`;

export const BUYER_PREFIX = 'bench-buyer-';

export function graphqlBody(query: string, variables: Record<string, unknown>): string {
  return JSON.stringify({ query, variables });
}

/** Anonymous product searches, cycling through terms that each match part of the catalog. */
export function productSearch(): LoadRequest {
  let term = 0;
  return { next: () => ({ body: graphqlBody(PRODUCT_SEARCH, { search: SEARCH_TERMS[term++ % SEARCH_TERMS.length] }), headers: {} }) };
}

/** The admin's order page, asked by each of `adminTokens` in turn: with one token, a gateway that
 *  shares identical in-flight subgraph fetches per caller gets most of them for free. */
export function adminOrders(adminTokens: string[], first = 50, query = ADMIN_ORDERS): LoadRequest {
  const body = graphqlBody(query, { first });
  if (adminTokens.length === 1) return { headers: { authorization: `Bearer ${adminTokens[0]!}` }, body };
  let turn = 0;
  return { next: () => ({ body, headers: { authorization: `Bearer ${adminTokens[turn++ % adminTokens.length]!}` } }) };
}

/**
 * Orders from many customers at once: each request is a customer picked at random, a new
 * idempotency key and one to three lines. A tenth of the catalog has only a few units, so some
 * orders are cancelled OUT_OF_STOCK and their reservations released while others race for them.
 */
export function placeOrders(buyerTokens: string[], products: CatalogProduct[]): LoadRequest {
  const random = seededRandom(7);
  const pickProduct = () => products[Math.floor(random() * products.length)]!.id;
  return {
    next: () => {
      const token = buyerTokens[Math.floor(random() * buyerTokens.length)]!;
      const ids = new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, pickProduct));
      const lines = [...ids].map((productId) => ({ productId, quantity: 1 + Math.floor(random() * 2) }));
      return { body: graphqlBody(BENCH_PLACE_ORDER, { input: { idempotencyKey: randomUUID(), lines } }), headers: { authorization: `Bearer ${token}` } };
    },
  };
}

/** One request, for the data checks. */
export async function fetchGraphQL(url: string, body: string, headers: Record<string, string> = {}): Promise<unknown> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return response.json();
}

/** JSON with object keys sorted, so two gateways that answer the same data compare equal. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}
