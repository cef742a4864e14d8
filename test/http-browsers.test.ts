import { createHash } from 'node:crypto';
import { readGatewayConfig } from '../gateway/src/config.js';
import { buildGateway } from '../gateway/src/server.js';
import type { RunningServer } from '../lib/http.js';
import { createLogger } from '../lib/log.js';
import { testAuth } from './support/auth.js';
import { errorCodes } from './support/graphql.js';
import { Shopper } from './support/shop.js';
import { startSystem, type RunningSystem } from './support/system.js';

const SHOP_ORIGIN = 'https://shop.example.com';
const PRODUCTS = 'query Catalog { products(first: 5) { totalCount edges { node { name } } } }';
const json = (response: Response): Promise<any> => response.json();
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
/** Apollo's CSRF prevention lets a GET through only with one of these headers. */
const PREFLIGHTED = { 'apollo-require-preflight': 'true' };

let system: RunningSystem;
let plainGateway: RunningServer;
let base: string;

beforeAll(async () => {
  system = await startSystem({
    gateway: { corsOrigins: [SHOP_ORIGIN], bodyLimit: '10kb', playground: true, playgroundToken: 'demo-token', storefront: true },
  });
  base = system.gatewayUrl.replace(/\/graphql$/, '');
  const admin = await Shopper.admin(system.gatewayUrl);
  await admin.createProduct({ name: 'Moka pot', price: '35.00', stock: 3 });
  // The same supergraph with every browser feature left at its default (off).
  plainGateway = await buildGateway(
    { port: 0, supergraphPath: 'schema/supergraph.graphql', subgraphUrls: system.subgraphUrls, auth: testAuth.auth },
    createLogger('test', 'silent'),
  );
});
afterAll(async () => {
  await plainGateway.stop();
  await system.stop();
});

function getQuery(url: string, params: Record<string, unknown>, headers: Record<string, string> = PREFLIGHTED) {
  const search = new URLSearchParams(Object.entries(params).map(([key, value]): [string, string] => [key, typeof value === 'string' ? value : JSON.stringify(value)]));
  return fetch(`${url}?${search}`, { headers: { accept: 'application/json', ...headers } });
}

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(system.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('GET for queries', () => {
  it('answers a query sent as GET', async () => {
    const response = await getQuery(system.gatewayUrl, { query: PRODUCTS });
    expect(response.status).toBe(200);
    expect((await json(response)).data.products.edges).toContainEqual({ node: { name: 'Moka pot' } });
  });

  it('refuses a mutation sent as GET with 405, allowing POST', async () => {
    const response = await getQuery(system.gatewayUrl, { query: 'mutation { cancelOrder(id: "1") { id } }' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect((await json(response)).errors[0].message).toBe('GET requests only support query operations, not mutation operations');
  });

  it('refuses a GET without a preflight-forcing header as a possible CSRF, saying which header to send', async () => {
    const response = await getQuery(system.gatewayUrl, { query: PRODUCTS }, {});
    expect(response.status).toBe(400);
    expect((await json(response)).errors[0].message).toMatch(/Cross-Site Request Forgery.*apollo-require-preflight/s);
  });
});

describe('automatic persisted queries', () => {
  const extensions = { persistedQuery: { version: 1, sha256Hash: sha256(PRODUCTS) } };

  it('asks for the full text once, then answers the hash alone, over POST and GET', async () => {
    const unknown = await json(await post({ extensions }));
    expect(errorCodes({ status: 200, ...unknown })).toEqual(['PERSISTED_QUERY_NOT_FOUND']);

    const registered = await json(await post({ query: PRODUCTS, extensions }));
    expect(registered.data.products.totalCount).toBeGreaterThan(0);

    const byHashPost = await json(await post({ extensions }));
    const byHashGet = await json(await getQuery(system.gatewayUrl, { extensions }));
    expect(byHashPost.data).toEqual(registered.data);
    expect(byHashGet.data).toEqual(registered.data);
  });

  it('refuses a query whose text does not match its hash', async () => {
    const response = await post({ query: '{ products { totalCount } }', extensions });
    expect(response.status).toBe(400);
    expect((await json(response)).errors).toEqual([{ message: 'provided sha does not match query', extensions: { code: 'BAD_REQUEST' } }]);
  });
});

describe('CORS', () => {
  it('answers a preflight from an allowed origin with the methods and headers a client needs', async () => {
    const response = await fetch(system.gatewayUrl, {
      method: 'OPTIONS',
      headers: { origin: SHOP_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(SHOP_ORIGIN);
    expect(response.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    expect(response.headers.get('access-control-allow-methods')).toMatch(/POST/);
  });

  it('lets an allowed origin read the answer', async () => {
    const response = await post({ query: PRODUCTS }, { origin: SHOP_ORIGIN });
    expect(response.headers.get('access-control-allow-origin')).toBe(SHOP_ORIGIN);
    expect((await json(response)).data.products.totalCount).toBeGreaterThan(0);
  });

  it.each([
    ['a preflight', 'OPTIONS'],
    ['a request', 'POST'],
  ])('refuses %s from an origin not in CORS_ORIGINS with 403 naming the setting', async (_kind, method) => {
    const response = await fetch(system.gatewayUrl, {
      method,
      headers: { origin: 'https://evil.example.net', 'content-type': 'application/json', 'access-control-request-method': 'POST' },
      body: method === 'POST' ? JSON.stringify({ query: PRODUCTS }) : undefined,
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    const body = await json(response);
    expect(body.errors[0]).toEqual({ message: expect.stringContaining('CORS_ORIGINS'), extensions: { code: 'ORIGIN_NOT_ALLOWED' } });
  });

  it("lets pages on the gateway's own origin call it without being listed", async () => {
    const response = await post({ query: PRODUCTS }, { origin: base });
    expect(response.status).toBe(200);
  });
});

describe('request bodies', () => {
  it('refuses a body over the limit with 413 and a GraphQL-shaped error', async () => {
    const response = await post({ query: PRODUCTS, variables: { padding: 'x'.repeat(20_000) } });
    expect(response.status).toBe(413);
    expect(await json(response)).toEqual({ errors: [{ message: 'The request body is larger than the 10kb this server accepts', extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
  });

  it('refuses malformed JSON with 400 and a GraphQL-shaped error', async () => {
    const response = await fetch(system.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(response.status).toBe(400);
    expect(await json(response)).toEqual({ errors: [{ message: 'The request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
  });

  it('answers an unknown path with a JSON 404', async () => {
    const response = await fetch(`${base}/nothing-here`);
    expect(response.status).toBe(404);
    expect(errorCodes({ status: 404, ...(await json(response)) })).toEqual(['NOT_FOUND']);
  });
});

describe('the playground', () => {
  it.each(['/', '/graphql'])('serves GraphiQL at %s to a browser, from the gateway alone', async (path) => {
    const response = await fetch(`${base}${path}`, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    const html = await response.text();
    expect(html).toContain('<div id="playground">');
    expect(html.match(/(src|href)="[^"]*"/g)).toEqual(['href="data:,"', 'href="/playground/assets/playground.css"', 'src="/playground/assets/playground.js"']);
    expect(html).toContain('Bearer demo-token');
    expect(html).toContain('mutation PlaceOrder');
  });

  it('serves its bundled script, stylesheet and editor workers, revalidated by ETag', async () => {
    for (const file of ['playground.js', 'playground.css', 'editor.worker.js', 'json.worker.js', 'graphql.worker.js']) {
      const response = await fetch(`${base}/playground/assets/${file}`);
      expect([file, response.status]).toEqual([file, 200]);
      expect(response.headers.get('content-type')).toMatch(file.endsWith('.css') ? /text\/css/ : /text\/javascript/);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('etag')).toMatch(/^"[\w-]{22}"$/);
    }
  });

  it('is off by default, and then neither GraphiQL nor Apollo’s CDN landing page is served', async () => {
    const plainBase = plainGateway.url.replace(/\/graphql$/, '');
    const home = await fetch(`${plainBase}/`, { headers: { accept: 'text/html' } });
    expect(home.status).toBe(404);
    expect((await json(home)).errors[0].message).toMatch(/PLAYGROUND=false/);
    const graphql = await fetch(plainGateway.url, { headers: { accept: 'text/html' } });
    expect(await graphql.text()).not.toMatch(/apollographql\.com|<html/i);
  });

  it('is not replaced by Apollo’s CDN landing page on the subgraphs either', async () => {
    for (const subgraph of Object.values(system.subgraphs)) {
      const page = await fetch(subgraph.url, { headers: { accept: 'text/html' } });
      expect(await page.text()).not.toMatch(/apollographql\.com|<html/i);
    }
  });
});

describe('the storefront', () => {
  it('is served at /shop/ with its bundle', async () => {
    expect((await fetch(`${base}/shop`, { redirect: 'manual' })).headers.get('location')).toBe('/shop/');
    const page = await fetch(`${base}/shop/`);
    expect(await page.text()).toContain('<section id="catalog"');
    expect((await fetch(`${base}/shop/assets/main.js`)).status).toBe(200);
    expect((await fetch(`${base}/shop/assets/main.css`)).status).toBe(200);
  });

  it('is off by default', async () => {
    expect((await fetch(plainGateway.url.replace(/\/graphql$/, '/shop/'))).status).toBe(404);
  });
});

describe('gateway settings', () => {
  it('turns the playground and the storefront on in development and off in production', () => {
    expect(readGatewayConfig({})).toMatchObject({ playground: true, storefront: true, corsOrigins: [], bodyLimit: '100kb' });
    const production = { NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-of-at-least-32-bytes' };
    expect(readGatewayConfig(production)).toMatchObject({ playground: false, storefront: false });
    expect(readGatewayConfig({ ...production, PLAYGROUND: 'true' })).toMatchObject({ playground: true, storefront: false });
    expect(readGatewayConfig({ PLAYGROUND: 'false', STOREFRONT: 'off' })).toMatchObject({ playground: false, storefront: false });
  });

  it('reads CORS_ORIGINS as a comma-separated list of origins', () => {
    expect(readGatewayConfig({ CORS_ORIGINS: ' https://shop.example.com, http://localhost:5173 ' }).corsOrigins).toEqual(['https://shop.example.com', 'http://localhost:5173']);
    expect(readGatewayConfig({ CORS_ORIGINS: '*' }).corsOrigins).toEqual(['*']);
  });

  it.each([['https://shop.example.com/'], ['shop.example.com'], ['ftp://files.example.com']])('refuses %s in CORS_ORIGINS, naming the setting', (origin) => {
    expect(() => readGatewayConfig({ CORS_ORIGINS: origin })).toThrow(/^CORS_ORIGINS: .* is not an origin/);
  });

  it('refuses a BODY_LIMIT that is not a size', () => {
    expect(readGatewayConfig({ BODY_LIMIT: '2MB' }).bodyLimit).toBe('2mb');
    expect(() => readGatewayConfig({ BODY_LIMIT: 'lots' })).toThrow('BODY_LIMIT must be a size such as 100kb or 1mb, got "lots"');
  });
});
