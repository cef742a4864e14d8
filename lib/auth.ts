import { timingSafeEqual, webcrypto } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import { UnauthenticatedError } from './errors.js';
import { ConfigError, readNumber, readOptionalString, readOptionalUrl, type Env } from './config.js';

export interface AuthConfig {
  jwtSecret?: string;
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
  /** How long fetched JWKS keys are trusted; a key removed from the JWKS is refused after this. */
  jwksCacheSeconds?: number;
  /** What readAuthConfig accepted outside production but an operator should hear about (a short
   *  JWT_SECRET); every service logs them when it starts. */
  warnings?: string[];
}

/** Who is calling: nobody, a customer (maybe an admin), and whether the request carries the
 *  service credential that the internal saga mutations demand. */
export interface Caller {
  customerId: string | null;
  isAdmin: boolean;
  isService: boolean;
}

export const DEV_JWT_SECRET = 'dev-only-jwt-secret-change-me-0123456789';
export const DEV_SERVICE_CREDENTIAL = 'dev-only-service-credential';
export const SERVICE_CREDENTIAL_HEADER = 'x-service-credential';
export const GATEWAY_SECRET_HEADER = 'x-gateway-secret';

export function isProduction(env: Env): boolean {
  return env.NODE_ENV === 'production';
}

export function readAuthConfig(env: Env): AuthConfig {
  const jwksUrl = readOptionalUrl(env, 'JWT_JWKS_URL');
  const configured = readOptionalString(env, 'JWT_SECRET');
  // The development defaults make `npm start` work with no setup; in production they would let
  // anyone who has read this repository mint tokens, so production refuses to start without real ones.
  if (isProduction(env) && !jwksUrl && (configured === undefined || configured === DEV_JWT_SECRET)) {
    throw new ConfigError('JWT_SECRET (or JWT_JWKS_URL) must be set to a real secret when NODE_ENV=production');
  }
  const jwtSecret = configured ?? (jwksUrl ? undefined : DEV_JWT_SECRET);
  const warnings: string[] = [];
  // An HS256 key shorter than its 32-byte hash can be guessed offline from any one token. Tokens
  // are verified with whatever JWT_SECRET says, so a developer's short secret works, with a warning.
  if (jwtSecret !== undefined && Buffer.byteLength(jwtSecret) < 32) {
    if (isProduction(env)) throw new ConfigError('JWT_SECRET must be at least 32 bytes for HS256 when NODE_ENV=production');
    warnings.push('JWT_SECRET is shorter than 32 bytes, short enough to be guessed offline from any token it signed; accepted because NODE_ENV is not production, which refuses it');
  }
  return {
    jwtSecret,
    jwksUrl,
    issuer: readOptionalString(env, 'JWT_ISSUER'),
    audience: readOptionalString(env, 'JWT_AUDIENCE'),
    jwksCacheSeconds: readNumber(env, 'JWT_JWKS_CACHE_SECONDS', 300, { min: 0, max: 86_400, integer: true }),
    warnings,
  };
}

export function readServiceCredential(env: Env): string {
  const configured = readOptionalString(env, 'SERVICE_CREDENTIAL');
  if (isProduction(env) && (configured === undefined || configured === DEV_SERVICE_CREDENTIAL)) {
    throw new ConfigError('SERVICE_CREDENTIAL must be set to a real secret when NODE_ENV=production');
  }
  if (configured !== undefined && configured.length < 16) throw new ConfigError('SERVICE_CREDENTIAL must be at least 16 characters');
  return configured ?? DEV_SERVICE_CREDENTIAL;
}

/** Optional: when set, subgraphs answer only requests carrying it (from the gateway) or the
 *  service credential, for deployments where their ports cannot be firewalled. */
export function readGatewaySecret(env: Env): string | undefined {
  const secret = readOptionalString(env, 'GATEWAY_SECRET');
  if (secret !== undefined && secret.length < 16) throw new ConfigError('GATEWAY_SECRET must be at least 16 characters');
  return secret;
}

/**
 * The longest subject accepted, in characters. OpenID Connect caps `sub` at 255 ASCII characters;
 * the customer id indexes (with the idempotency key) hold about 2,700 bytes, which 500 characters
 * of 4-byte UTF-8 plus a 128-character key still fit.
 */
export const MAX_SUBJECT_LENGTH = 500;

/** Why a token's `sub` names no customer, or undefined when it does. Any other non-empty string
 *  is a customer id, stored as is; one that is only whitespace names nobody a person could tell
 *  apart from no subject. npm run token applies the same rule. */
export function subjectProblem(sub: unknown): string | undefined {
  if (typeof sub !== 'string' || sub.trim() === '') return 'is missing or blank';
  if ([...sub].length > MAX_SUBJECT_LENGTH) return `is longer than ${MAX_SUBJECT_LENGTH} characters`;
  return undefined;
}

/** Who a token names, and until when it holds (its `exp`, in epoch milliseconds; none without a token). */
export type VerifiedToken = Pick<Caller, 'customerId' | 'isAdmin'> & { expiresAt?: number };
export type TokenVerifier = (authorization: string | undefined) => Promise<VerifiedToken>;

/** Builds the verifier once per process: a JWKS is fetched and cached by jose, not per request. */
export function createTokenVerifier(config: AuthConfig): TokenVerifier {
  // An HS256 secret is imported as a CryptoKey once: given the raw bytes, jose imports them again
  // for every token, which doubled the CPU time of each verification.
  const key: Promise<webcrypto.CryptoKey> | JWTVerifyGetKey = config.jwksUrl
    ? createRemoteJWKSet(new URL(config.jwksUrl), { cacheMaxAge: (config.jwksCacheSeconds ?? 300) * 1000, timeoutDuration: 5_000 })
    : webcrypto.subtle.importKey('raw', new TextEncoder().encode(config.jwtSecret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  // Pinning the algorithms is what stops `alg: none` and HS256-signed-with-the-public-key tokens.
  const algorithms = config.jwksUrl ? ['RS256', 'ES256'] : ['HS256'];
  return async (authorization) => {
    if (authorization === undefined || authorization.trim() === '') return { customerId: null, isAdmin: false };
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match) throw new UnauthenticatedError('The Authorization header must be "Bearer <token>"');
    try {
      const options = { algorithms, issuer: config.issuer, audience: config.audience, requiredClaims: ['exp', 'sub'] };
      const { payload } = typeof key === 'function' ? await jwtVerify(match[1]!, key, options) : await jwtVerify(match[1]!, await key, options);
      const { sub } = payload;
      const problem = subjectProblem(sub);
      if (problem !== undefined || typeof sub !== 'string') throw new UnauthenticatedError(`The token's subject ${problem ?? 'is missing'}`);
      const roles = Array.isArray(payload.roles) ? payload.roles : [];
      // requiredClaims makes exp present; jose has checked it is a number in the future.
      return { customerId: sub, isAdmin: roles.includes('admin'), expiresAt: (payload.exp as number) * 1000 };
    } catch (error) {
      if (error instanceof UnauthenticatedError) throw error;
      throw new UnauthenticatedError('The token is invalid or expired');
    }
  };
}

export async function signDevToken(secret: string, claims: { sub: string; admin?: boolean; ttlSeconds?: number; issuer?: string; audience?: string }): Promise<string> {
  let jwt = new SignJWT({ roles: claims.admin ? ['admin'] : [] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(`${claims.ttlSeconds ?? 3600}s`);
  if (claims.issuer) jwt = jwt.setIssuer(claims.issuer);
  if (claims.audience) jwt = jwt.setAudience(claims.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}

export function matchesSecret(presented: string | undefined, expected: string): boolean {
  if (!presented) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
