import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { createTokenVerifier, DEV_JWT_SECRET, DEV_SERVICE_CREDENTIAL, readAuthConfig, readServiceCredential, signDevToken } from '../auth.js';
import { ConfigError } from '../config.js';
import { UnauthenticatedError } from '../errors.js';

const SECRET = 'unit-test-secret-that-is-long-enough-0123456789';

describe('token edge cases', () => {
  it('refuses a token that is not valid yet (nbf in the future)', async () => {
    const verify = createTokenVerifier({ jwtSecret: SECRET });
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('cust-1')
      .setNotBefore('10m')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(SECRET));
    await expect(verify(`Bearer ${token}`)).rejects.toBeInstanceOf(UnauthenticatedError);
  });
});

describe('JWKS key rotation', () => {
  let keys: JWK[] = [];
  let server: http.Server;
  let jwksUrl: string;

  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function keyPair(kid: string) {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
  }

  function sign(key: Awaited<ReturnType<typeof keyPair>>): Promise<string> {
    return new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: key.kid }).setSubject('cust-9').setExpirationTime('1h').sign(key.privateKey);
  }

  it('stops accepting a revoked key once the cached set expires, and picks up the new key', async () => {
    const old = await keyPair('2026-old');
    const rotated = await keyPair('2026-new');
    keys = [old.jwk];
    const verify = createTokenVerifier({ jwksUrl, jwksCacheSeconds: 1 });
    expect(await verify(`Bearer ${await sign(old)}`)).toMatchObject({ customerId: 'cust-9', isAdmin: false, expiresAt: expect.any(Number) });

    keys = [rotated.jwk];
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    await expect(verify(`Bearer ${await sign(old)}`)).rejects.toBeInstanceOf(UnauthenticatedError);
    expect(await verify(`Bearer ${await sign(rotated)}`)).toMatchObject({ customerId: 'cust-9', isAdmin: false, expiresAt: expect.any(Number) });
  });
});

describe('production settings', () => {
  const production = { NODE_ENV: 'production' };

  it('refuses to start without a JWT secret, or with the development one', () => {
    expect(() => readAuthConfig(production)).toThrow(ConfigError);
    expect(() => readAuthConfig({ ...production, JWT_SECRET: DEV_JWT_SECRET })).toThrow(/JWT_SECRET/);
    expect(readAuthConfig({ ...production, JWT_SECRET: SECRET }).jwtSecret).toBe(SECRET);
    expect(readAuthConfig({ ...production, JWT_JWKS_URL: 'https://issuer.example.com/.well-known/jwks.json' }).jwtSecret).toBeUndefined();
  });

  it('refuses a JWT secret shorter than 32 bytes', () => {
    expect(() => readAuthConfig({ ...production, JWT_SECRET: 'short-secret' })).toThrow('JWT_SECRET must be at least 32 bytes for HS256 when NODE_ENV=production');
    expect(readAuthConfig({ ...production, JWT_SECRET: SECRET }).warnings).toEqual([]);
  });

  it('refuses to start without a service credential, or with the development one', () => {
    expect(() => readServiceCredential(production)).toThrow(/SERVICE_CREDENTIAL/);
    expect(() => readServiceCredential({ ...production, SERVICE_CREDENTIAL: DEV_SERVICE_CREDENTIAL })).toThrow(ConfigError);
    expect(readServiceCredential({ ...production, SERVICE_CREDENTIAL: 'a-real-credential-of-some-length' })).toBe('a-real-credential-of-some-length');
  });

  it('keeps the development defaults outside production', () => {
    expect(readAuthConfig({}).jwtSecret).toBe(DEV_JWT_SECRET);
    expect(readAuthConfig({}).warnings).toEqual([]);
    expect(readServiceCredential({})).toBe(DEV_SERVICE_CREDENTIAL);
  });

  it('verifies with a short JWT secret outside production, with a warning for the service to log', async () => {
    const auth = readAuthConfig({ JWT_SECRET: 'short-secret' });
    expect(auth.jwtSecret).toBe('short-secret');
    expect(auth.warnings).toEqual([expect.stringMatching(/^JWT_SECRET is shorter than 32 bytes.*NODE_ENV/)]);
    const token = await signDevToken('short-secret', { sub: 'cust-5' });
    expect(await createTokenVerifier(auth)(`Bearer ${token}`)).toMatchObject({ customerId: 'cust-5', isAdmin: false, expiresAt: expect.any(Number) });
  });
});
