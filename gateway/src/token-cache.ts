import { decodeJwt } from 'jose';
import type { TokenVerifier } from '../../lib/auth.js';

const MAX_ENTRIES = 10_000;
/** A key rotated out of a JWKS stops being honoured within this long. */
const MAX_AGE_MS = 60_000;

/**
 * Remembers which Authorization values verified, so a client sending the same token on every
 * request costs the signature check (WebCrypto's HMAC or RSA, a few percent of a request's CPU)
 * once a minute instead of every time. Only successes are kept, never past the token's `exp`;
 * a bad token is checked, and refused, every time.
 */
export function cacheVerifiedTokens(verify: TokenVerifier): TokenVerifier {
  const verified = new Map<string, { caller: Awaited<ReturnType<TokenVerifier>>; until: number }>();
  return async (authorization) => {
    if (authorization === undefined) return verify(authorization);
    const hit = verified.get(authorization);
    if (hit && hit.until > Date.now()) return hit.caller;
    verified.delete(authorization);
    const caller = await verify(authorization);
    if (caller.customerId !== null) {
      const exp = decodeJwt(authorization.trim().replace(/^Bearer\s+/i, '')).exp;
      if (exp !== undefined) {
        if (verified.size >= MAX_ENTRIES) verified.delete(verified.keys().next().value!);
        verified.set(authorization, { caller, until: Math.min(exp * 1000, Date.now() + MAX_AGE_MS) });
      }
    }
    return caller;
  };
}
