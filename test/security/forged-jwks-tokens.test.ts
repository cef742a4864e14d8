import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { readMetric } from '../../lib/metrics.js';
import { bearer, errorCodes, gql } from '../support/graphql.js';
import { unfinishedOrders } from '../support/invariants.js';
import { waitFor } from '../support/processes.js';
import { dataSnapshot } from '../support/snapshot.js';
import { startSystem, type RunningSystem } from '../support/system.js';

/**
 * Forged tokens sent to a gateway that verifies RS256 tokens against an identity provider's JWKS
 * with an issuer and an audience, as a deployment with its own identity provider runs it. The
 * identity provider is outside the system, so a small local HTTP server stands in for its JWKS.
 * Each forged token must be UNAUTHENTICATED at the gateway: no subgraph called, nothing changed.
 */

const ISSUER = 'https://id.example.test/';
const AUDIENCE = 'ordering-api';

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  jwk: JWK;
}

async function signingKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { kid, privateKey, publicKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

/** Claims as the identity provider issues them; a jti keeps every token distinct, so none is
 *  answered from the gateway's cache of tokens it already verified. */
function claims(sub: string, admin = false) {
  return new SignJWT({ roles: admin ? ['admin'] : [], jti: randomUUID() }).setSubject(sub).setIssuer(ISSUER).setAudience(AUDIENCE).setIssuedAt().setExpirationTime('1h');
}

const sign = (key: SigningKey, sub: string, admin = false) => claims(sub, admin).setProtectedHeader({ alg: 'RS256', kid: key.kid }).sign(key.privateKey);

let published: JWK[] = [];
let jwksServer: http.Server;
let system: RunningSystem;
let current: SigningKey;
let retired: SigningKey;
let productId: string;
/** An admin token of the key that gets revoked, used (and so verified) before the revocation. */
let servedBeforeRevocation: string;

beforeAll(async () => {
  [current, retired] = await Promise.all([signingKey('2026-current'), signingKey('2025-retired')]);
  published = [current.jwk, retired.jwk];
  jwksServer = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: published })));
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  const jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`;
  system = await startSystem({
    auth: { jwksUrl, issuer: ISSUER, audience: AUDIENCE, jwksCacheSeconds: 1 },
    // Recovery's periodic pass would send SQL of its own while the statements are counted.
    recovery: { intervalMs: 3_600_000 },
  });
  servedBeforeRevocation = await sign(retired, 'jwks-admin', true);
  const created = await gql(system.gatewayUrl, `mutation { createProduct(input: { sku: "JWKS-1", name: "Kettle", price: "30.00", stock: 10 }) { id } }`, {}, bearer(servedBeforeRevocation));
  expect(created.errors).toBeUndefined();
  productId = created.data.createProduct.id;
});

afterAll(async () => {
  await system?.stop();
  await new Promise<void>((resolve) => jwksServer.close(() => resolve()));
});

const PLACE = `mutation($productId: ID!) { placeOrder(input: { idempotencyKey: "forged", lines: [{ productId: $productId, quantity: 1 }] }) { id status } }`;
const OPERATIONS: [name: string, query: string][] = [
  ['products', '{ products { totalCount } }'],
  ['myOrders', '{ myOrders { totalCount } }'],
  ['placeOrder', PLACE],
  ['adjustStock', 'mutation($productId: ID!) { adjustStock(id: $productId, delta: -1) { stock } }'],
];

/** Fetches the gateway made to subgraphs, and SQL statements the subgraphs sent, so far. */
async function subgraphWork(): Promise<{ fetches: number; sql: Record<string, number> }> {
  const metrics = await (await fetch(system.gatewayUrl.replace('/graphql', '/metrics'))).text();
  return { fetches: readMetric(metrics, 'gateway_subgraph_fetch_duration_seconds_count'), sql: await system.sqlStatements() };
}

describe('forged tokens through a gateway verifying against a JWKS, with issuer and audience', () => {
  it('serves genuine tokens signed by either published key (the control)', async () => {
    for (const key of [current, retired]) {
      const placed = await gql(system.gatewayUrl, PLACE, { productId }, bearer(await sign(key, `genuine-${key.kid}`)));
      expect(placed.errors).toBeUndefined();
      expect(placed.data.placeOrder.status).toBe('PAID');
    }
  });

  describe('once the identity provider has revoked a key', () => {
    beforeAll(async () => {
      // The key leaves the JWKS. Services refetch it once their cached copy (1 s here) is stale;
      // a token signed with the revoked key is forged from then on.
      published = [current.jwk];
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      // The control's paid orders are confirmed in a batch after they answered: settled first, so
      // the data and statement counts below change for no reason but the forged requests.
      await waitFor('the control orders to be DONE', async () => (await unfinishedOrders(system.databases.order)) === 0, 20_000, 20);
    });

    it('answers each forged token UNAUTHENTICATED without calling a subgraph, and changes nothing', async () => {
      const publicKeyPem = new TextEncoder().encode(await exportSPKI(current.publicKey));
      const publicJwkText = new TextEncoder().encode(JSON.stringify(current.jwk));
      const stranger = await signingKey(current.kid);
      const rs256 = (jwt: SignJWT, key: SigningKey) => jwt.setProtectedHeader({ alg: 'RS256', kid: key.kid }).sign(key.privateKey);
      const forged: [name: string, token: string][] = [
        ['HS256 signed with the JWKS public key (PEM) as its secret', await claims('mallory', true).setProtectedHeader({ alg: 'HS256', kid: current.kid }).sign(publicKeyPem)],
        ['HS256 signed with the JWKS public key (JWK) as its secret', await claims('mallory', true).setProtectedHeader({ alg: 'HS256', kid: current.kid }).sign(publicJwkText)],
        ['another issuer', await rs256(claims('mallory', true).setIssuer('https://evil.example.test/'), current)],
        ['another audience', await rs256(claims('mallory', true).setAudience('billing-api'), current)],
        ['no audience', await rs256(new SignJWT({ roles: ['admin'] }).setSubject('mallory').setIssuer(ISSUER).setExpirationTime('1h'), current)],
        ['a key revoked from the JWKS', await sign(retired, 'mallory', true)],
        ['an unpublished key under a published kid', await sign(stranger, 'mallory', true)],
      ];

      const before = await dataSnapshot(system.databases);
      const failures: string[] = [];
      for (const [tokenName, token] of forged) {
        for (const [operationName, query] of OPERATIONS) {
          const work = await subgraphWork();
          const response = await gql(system.gatewayUrl, query, { productId }, bearer(token));
          const after = await subgraphWork();
          const codes = errorCodes(response);
          if (codes.length !== 1 || codes[0] !== 'UNAUTHENTICATED' || response.data) failures.push(`${tokenName} on ${operationName}: HTTP ${response.status} ${JSON.stringify(codes)}`);
          if (after.fetches !== work.fetches) failures.push(`${tokenName} on ${operationName}: the gateway called a subgraph`);
          if (JSON.stringify(after.sql) !== JSON.stringify(work.sql)) failures.push(`${tokenName} on ${operationName}: a subgraph ran SQL ${JSON.stringify(work.sql)} -> ${JSON.stringify(after.sql)}`);
        }
      }

      expect(failures).toEqual([]);
      expect(await dataSnapshot(system.databases)).toEqual(before);
      // Still serving: a genuine token of the key that stays works.
      const mine = await gql(system.gatewayUrl, '{ myOrders { totalCount } }', {}, bearer(await sign(current, `genuine-${current.kid}`)));
      expect(mine.data.myOrders.totalCount).toBe(1);
    });

    it('refuses a token of the revoked key that it served before the revocation, and changes nothing', async () => {
      // The gateway remembers tokens it verified for up to 60 s (lib/token-cache.ts), so
      // it may still pass this one on; every subgraph verifies it again against the fresh JWKS.
      const before = await dataSnapshot(system.databases);
      for (const [operationName, query] of OPERATIONS) {
        const response = await gql(system.gatewayUrl, query, { productId }, bearer(servedBeforeRevocation));
        expect({ operationName, codes: errorCodes(response) }).toEqual({ operationName, codes: ['UNAUTHENTICATED'] });
      }
      expect(await dataSnapshot(system.databases)).toEqual(before);
    });
  });
});
