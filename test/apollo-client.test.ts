import './support/apollo-dev-mode.js';
import { createHash } from 'node:crypto';
import { ApolloClient, ApolloLink, CombinedGraphQLErrors, gql, HttpLink, InMemoryCache } from '@apollo/client';
import { loadDevMessages, loadErrorMessages } from '@apollo/client/dev';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { relayStylePagination } from '@apollo/client/utilities';
import { customerToken } from './support/auth.js';
import { Shopper } from './support/shop.js';
import { startSystem, type RunningSystem } from './support/system.js';

/**
 * Apollo Client 4, in Node with its normalised InMemoryCache, against the running gateway: what a
 * real application built on the most common GraphQL client sees of our API.
 */
let system: RunningSystem;
let token: string;
let productIds: string[];

/** Every request the client sent, to check what went over the wire (APQ, cache hits). */
let sent: { method: string; url: string; body: any }[];
const recordingFetch: typeof fetch = async (input, init) => {
  const url = String(input);
  sent.push({ method: init?.method ?? 'GET', url, body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined });
  return fetch(input, init);
};

/** What Apollo Client warns about (cache data loss, missing fields) goes to console. */
let warnings: unknown[][];
let restoreConsole: () => void;

beforeAll(async () => {
  loadDevMessages();
  loadErrorMessages();
  system = await startSystem();
  const admin = await Shopper.admin(system.gatewayUrl);
  productIds = [];
  for (const [index, name] of ['Aeropress', 'Burr grinder', 'Cold brew jar', 'Drip kettle', 'Espresso cups'].entries()) {
    productIds.push(await admin.createProduct({ name, price: `${10 + index}.00`, stock: 20 }));
  }
  token = await customerToken('apollo-client-customer');
});
afterAll(() => system?.stop());

beforeEach(() => {
  sent = [];
  warnings = [];
  const original = { warn: console.warn, error: console.error };
  console.warn = (...args: unknown[]) => void warnings.push(args);
  console.error = (...args: unknown[]) => void warnings.push(args);
  restoreConsole = () => Object.assign(console, original);
});
afterEach(() => {
  restoreConsole();
  expect(warnings).toEqual([]);
});

function createClient(options: { authorization?: string; link?: (http: HttpLink) => ApolloLink } = {}): ApolloClient {
  const http = new HttpLink({
    uri: system.gatewayUrl,
    fetch: recordingFetch,
    // Apollo's CSRF prevention lets a GET through with this header (hashed queries go by GET).
    headers: { 'apollo-require-preflight': 'true', ...(options.authorization ? { authorization: options.authorization } : {}) },
  });
  return new ApolloClient({
    link: options.link ? options.link(http) : http,
    cache: new InMemoryCache({
      typePolicies: {
        Query: {
          fields: {
            // Pages of one filter are one list in the cache; `first` and `after` only page it.
            products: relayStylePagination(['filter']),
            // order(id:) is answered from an Order the cache already holds, e.g. from placeOrder;
            // an order the server said was null stays null.
            order: { read: (existing, { args, toReference }) => (existing === undefined ? toReference({ __typename: 'Order', id: args!.id }) : existing) },
          },
        },
      },
    }),
  });
}

const PRODUCT_CARD = gql`
  fragment ProductCard on Product {
    id
    name
    price
    stock
  }
`;
const PRODUCTS = gql`
  query Products($first: Int, $after: String) {
    products(first: $first, after: $after) {
      totalCount
      edges {
        cursor
        node {
          ...ProductCard
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
  ${PRODUCT_CARD}
`;
const ORDER_FIELDS = gql`
  fragment OrderFields on Order {
    id
    status
    totalAmount
    paymentStatus
    lines {
      productId
      quantity
      unitPrice
      product {
        id
        name
      }
    }
  }
`;
const PLACE_ORDER = gql`
  mutation PlaceOrder($input: PlaceOrderInput!) {
    placeOrder(input: $input) {
      ...OrderFields
    }
  }
  ${ORDER_FIELDS}
`;
const ORDER = gql`
  query Order($id: ID!) {
    order(id: $id) {
      ...OrderFields
    }
  }
  ${ORDER_FIELDS}
`;

it('pages products with a fragment, merging the pages in the cache through a typePolicies merge', async () => {
  const client = createClient();
  const products = client.watchQuery({ query: PRODUCTS, variables: { first: 2 } });
  const firstPage = await new Promise<any>((resolve, reject) => {
    const subscription = products.subscribe({
      next: (result) => {
        if (result.dataState !== 'complete') return;
        subscription.unsubscribe();
        resolve(result.data);
      },
      error: reject,
    });
  });
  expect(firstPage.products.edges).toHaveLength(2);
  await products.fetchMore({ variables: { after: firstPage.products.pageInfo.endCursor } });
  await products.fetchMore({ variables: { after: client.readQuery<any>({ query: PRODUCTS, variables: { first: 2 } })!.products.pageInfo.endCursor } });

  const merged = client.readQuery<any>({ query: PRODUCTS, variables: { first: 2 } })!;
  expect(merged.products.edges.map((edge: any) => edge.node.name)).toEqual(['Aeropress', 'Burr grinder', 'Cold brew jar', 'Drip kettle', 'Espresso cups']);
  expect(merged.products.pageInfo.hasNextPage).toBe(false);
  const card = client.readFragment<any>({ id: client.cache.identify({ __typename: 'Product', id: productIds[2] }), fragment: PRODUCT_CARD });
  expect(card).toEqual({ __typename: 'Product', id: productIds[2], name: 'Cold brew jar', price: '12.00', stock: 20 });
  expect(sent).toHaveLength(3);
});

it('places an order with the customer token and reads it back from the cache, normalised by id, without a request', async () => {
  const client = createClient({ authorization: `Bearer ${token}` });
  const input = { idempotencyKey: 'apollo-client-1', lines: [{ productId: productIds[0], quantity: 2 }, { productId: productIds[3], quantity: 1 }] };
  const placed = await client.mutate({ mutation: PLACE_ORDER, variables: { input } });
  const order = (placed.data as any).placeOrder;
  expect(order).toMatchObject({ status: 'PAID', paymentStatus: 'COMPLETED', totalAmount: '33.00' });

  const requestsBefore = sent.length;
  const fromCache = await client.query({ query: ORDER, variables: { id: order.id }, fetchPolicy: 'cache-only' });
  expect(fromCache.data).toEqual({ order });
  expect(sent).toHaveLength(requestsBefore);
  // One Order and its line products, each stored once under its id.
  const cache = client.cache.extract() as Record<string, any>;
  expect(cache[`Order:${order.id}`]).toMatchObject({ status: 'PAID', paymentStatus: 'COMPLETED' });
  expect(cache[`Order:${order.id}`].lines.map((line: any) => line.product)).toEqual([{ __ref: `Product:${productIds[0]}` }, { __ref: `Product:${productIds[3]}` }]);

  // Read from the network too: the same order, merged into the same entry without a warning.
  const fromNetwork = await client.query({ query: ORDER, variables: { id: order.id }, fetchPolicy: 'network-only' });
  expect(fromNetwork.data).toEqual({ order });
  expect(sent).toHaveLength(requestsBefore + 1);
});

it("shows an error's extensions.code through Apollo Client's error types, for a 200 and for a 400", async () => {
  const client = createClient();
  const unauthenticated = await client.query({ query: gql`query MyOrders { myOrders { totalCount } }` }).catch((error: unknown) => ({ error }));
  expect(CombinedGraphQLErrors.is(unauthenticated.error)).toBe(true);
  expect((unauthenticated.error as CombinedGraphQLErrors).errors.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);

  // A variable of the wrong type is refused before execution, with HTTP 400.
  const refused = await client.query({ query: gql`query Product($id: ID!) { product(id: $id) { id } }`, variables: { id: { not: 'an id' } } }).catch((error: unknown) => ({ error }));
  expect(CombinedGraphQLErrors.is(refused.error)).toBe(true);
  expect((refused.error as CombinedGraphQLErrors).errors.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
});

it("returns partial data with the error under errorPolicy 'all'", async () => {
  const client = createClient();
  const result = await client.query({
    query: gql`query ProductsAndOrder($id: ID!) { products(first: 1) { totalCount } order(id: $id) { id } }`,
    variables: { id: '1' },
    errorPolicy: 'all',
  });
  expect(result.data).toEqual({ products: { __typename: 'ProductConnection', totalCount: 5 }, order: null });
  expect(CombinedGraphQLErrors.is(result.error)).toBe(true);
  expect((result.error as CombinedGraphQLErrors).errors).toEqual([expect.objectContaining({ path: ['order'], extensions: { code: 'UNAUTHENTICATED' } })]);
});

describe('automatic persisted queries through PersistedQueryLink', () => {
  const sha256 = (query: string) => createHash('sha256').update(query).digest('hex');
  const COUNT = gql`query ProductCount { products { totalCount } }`;

  it('registers the query once, then sends only its hash, by POST', async () => {
    const client = createClient({ link: (http) => new PersistedQueryLink({ sha256 }).concat(http) });
    expect((await client.query({ query: COUNT })).data).toEqual({ products: { __typename: 'ProductConnection', totalCount: 5 } });
    await client.query({ query: COUNT, fetchPolicy: 'network-only' });
    expect(sent.map(({ method, body }) => `${method} ${body.query ? 'query+hash' : 'hash'}`)).toEqual(['POST hash', 'POST query+hash', 'POST hash']);
  });

  it('sends hashed queries by GET, falling back to POST only to register one', async () => {
    const client = createClient({ link: (http) => new PersistedQueryLink({ sha256, useGETForHashedQueries: true }).concat(http) });
    const query = gql`query ProductNames { products { edges { node { id name } } } }`;
    expect((await client.query<any>({ query })).data.products.edges).toHaveLength(5);
    await client.query({ query, fetchPolicy: 'network-only' });
    expect(sent.map(({ method, url }) => `${method} ${url.includes('extensions=') ? 'hash in URL' : 'body'}`)).toEqual(['GET hash in URL', 'POST body', 'GET hash in URL']);
  });
});
