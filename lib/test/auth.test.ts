import { webcrypto } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Request } from 'express';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { createTokenVerifier, signDevToken, type TokenVerifier } from '../auth.js';
import { createCallerResolver } from '../context.js';
import { UnauthenticatedError } from '../errors.js';

const SECRET = 'unit-test-secret-that-is-long-enough-0123456789';
const secretBytes = new TextEncoder().encode(SECRET);
const nowSeconds = () => Math.floor(Date.now() / 1000);

function hs256(claims: JWTPayload): SignJWT {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject('cust-1').setIssuedAt();
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

async function expectRefused(verify: TokenVerifier, authorization: string): Promise<void> {
  await expect(verify(authorization)).rejects.toBeInstanceOf(UnauthenticatedError);
}

describe('HS256 tokens', () => {
  const verify = createTokenVerifier({ jwtSecret: SECRET });

  it('reads the customer id and admin role from a valid token', async () => {
    expect(await verify(`Bearer ${await signDevToken(SECRET, { sub: '42' })}`)).toMatchObject({ customerId: '42', isAdmin: false, expiresAt: expect.any(Number) });
    expect(await verify(`Bearer ${await signDevToken(SECRET, { sub: 'admin-7', admin: true })}`)).toMatchObject({ customerId: 'admin-7', isAdmin: true, expiresAt: expect.any(Number) });
    expect(await verify(`bearer   ${await signDevToken(SECRET, { sub: 'cust-42' })}`)).toMatchObject({ customerId: 'cust-42', isAdmin: false, expiresAt: expect.any(Number) });
  });

  it('takes any non-empty subject of up to 500 characters as is', async () => {
    for (const sub of ['x'.repeat(500), `id ${'é'.repeat(497)}`, '🌀'.repeat(500), ' padded ']) {
      expect(await verify(`Bearer ${await signDevToken(SECRET, { sub })}`)).toMatchObject({ customerId: sub, isAdmin: false, expiresAt: expect.any(Number) });
    }
  });

  it('refuses a subject over 500 characters', async () => {
    await expect(verify(`Bearer ${await signDevToken(SECRET, { sub: 'x'.repeat(501) })}`)).rejects.toThrow(/longer than 500 characters/);
  });

  it.each(['', ' ', '\t\n', '\u00a0'])('refuses the blank subject %j', async (sub) => {
    await expectRefused(verify, `Bearer ${await hs256({}).setSubject(sub).setExpirationTime('1h').sign(secretBytes)}`);
  });

  it('treats a request without an Authorization header as anonymous', async () => {
    expect(await verify(undefined)).toEqual({ customerId: null, isAdmin: false });
    expect(await verify('  ')).toEqual({ customerId: null, isAdmin: false });
  });

  it('refuses an expired token', async () => {
    await expectRefused(verify, `Bearer ${await hs256({}).setExpirationTime(nowSeconds() - 60).sign(secretBytes)}`);
  });

  it('refuses a token signed with another secret', async () => {
    await expectRefused(verify, `Bearer ${await signDevToken('another-secret-that-is-also-long-enough-000', { sub: 'cust-1' })}`);
  });

  it('refuses an unsigned token (alg none)', async () => {
    const unsigned = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: 'cust-1', roles: ['admin'], exp: nowSeconds() + 3600 })}.`;
    await expectRefused(verify, `Bearer ${unsigned}`);
  });

  it('refuses a token without an expiry', async () => {
    await expectRefused(verify, `Bearer ${await hs256({}).sign(secretBytes)}`);
  });

  it('refuses a token without a subject', async () => {
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(secretBytes);
    await expectRefused(verify, `Bearer ${token}`);
  });

  it.each(['Bearer not-a-jwt', 'Bearer a.b.c', 'Bearer', 'Basic dXNlcjpwYXNz', 'Bearer one two'])('refuses the malformed header %j', async (header) => {
    await expectRefused(verify, header);
  });
});

describe('issuer and audience', () => {
  const verify = createTokenVerifier({ jwtSecret: SECRET, issuer: 'https://auth.example', audience: 'ordering' });
  const token = (issuer: string | null, audience: string | null) => {
    let jwt = hs256({}).setExpirationTime('1h');
    if (issuer) jwt = jwt.setIssuer(issuer);
    if (audience) jwt = jwt.setAudience(audience);
    return jwt.sign(secretBytes);
  };

  it('accepts a token from the configured issuer for the configured audience', async () => {
    expect(await verify(`Bearer ${await token('https://auth.example', 'ordering')}`)).toMatchObject({ customerId: 'cust-1', isAdmin: false, expiresAt: expect.any(Number) });
  });

  it.each([
    ['another issuer', 'https://evil.example', 'ordering'],
    ['another audience', 'https://auth.example', 'billing'],
    ['no issuer', null, 'ordering'],
    ['no audience', 'https://auth.example', null],
  ])('refuses a token with %s', async (_case, issuer, audience) => {
    await expectRefused(verify, `Bearer ${await token(issuer, audience)}`);
  });
});

describe('JWKS tokens', () => {
  let jwksServer: http.Server;
  let verify: TokenVerifier;
  let keys: Awaited<ReturnType<typeof generateKeyPair>>;

  beforeAll(async () => {
    keys = await generateKeyPair('RS256');
    const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(keys.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' }] });
    jwksServer = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    verify = createTokenVerifier({ jwksUrl: `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json` });
  });
  afterAll(() => new Promise<void>((resolve) => jwksServer.close(() => resolve())));

  it('verifies an RS256 token signed by a key in the set', async () => {
    const token = await new SignJWT({ roles: ['admin'] })
      .setProtectedHeader({ alg: 'RS256', kid: 'key-1' })
      .setSubject('cust-9')
      .setExpirationTime('1h')
      .sign(keys.privateKey);
    expect(await verify(`Bearer ${token}`)).toMatchObject({ customerId: 'cust-9', isAdmin: true, expiresAt: expect.any(Number) });
  });

  it('refuses an HS256 token that uses the public key as its secret', async () => {
    const publicKeyBytes = new TextEncoder().encode(await exportSPKI(keys.publicKey));
    const forged = await new SignJWT({ roles: ['admin'] })
      .setProtectedHeader({ alg: 'HS256', kid: 'key-1' })
      .setSubject('cust-9')
      .setExpirationTime('1h')
      .sign(publicKeyBytes);
    await expectRefused(verify, `Bearer ${forged}`);
  });
});

describe("a subgraph's caller resolver", () => {
  const request = (authorization: string) => ({ header: (name: string) => (name.toLowerCase() === 'authorization' ? authorization : undefined) }) as unknown as Request;
  const subtle = webcrypto.subtle as { verify: (...args: unknown[]) => Promise<boolean> };
  const original = subtle.verify;
  let verifications = 0;
  beforeEach(() => {
    verifications = 0;
    subtle.verify = function countedVerify(this: unknown, ...args: unknown[]) {
      verifications += 1;
      return original.apply(this, args);
    };
  });
  afterEach(() => {
    subtle.verify = original;
  });

  it('checks an HS256 signature once and then remembers the verified token; a bad one is checked and refused every time', async () => {
    const resolveCaller = createCallerResolver({ auth: { jwtSecret: SECRET }, serviceCredential: 'credential' });
    const good = `Bearer ${await signDevToken(SECRET, { sub: 'cust-1', ttlSeconds: 600 })}`;
    for (let i = 0; i < 3; i += 1) expect(await resolveCaller(request(good))).toMatchObject({ customerId: 'cust-1', isAdmin: false });
    expect(verifications).toBe(1);
    const forged = `Bearer ${await signDevToken('another-secret-long-enough-for-hs256-0123456789', { sub: 'cust-1', ttlSeconds: 600 })}`;
    for (let i = 0; i < 2; i += 1) await expect(resolveCaller(request(forged))).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    expect(verifications).toBe(3);
  });
});
