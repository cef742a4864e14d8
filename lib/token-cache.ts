import { InMemoryLRUCache, type KeyValueCache } from '@apollo/utils.keyvaluecache';
import type { TokenVerifier } from './auth.js';

type Caller = Awaited<ReturnType<TokenVerifier>>;

/** A key rotated out of a JWKS stops being honoured within this long. */
const MAX_AGE_SECONDS = 60;

/** The least recently used of at most 10,000 verified tokens. */
export function verifiedTokenStore(): KeyValueCache<Caller> {
  return new InMemoryLRUCache<Caller>({ max: 10_000 });
}

/**
 * Remembers which Authorization values verified, so a client sending the same token on every
 * request costs the signature check (WebCrypto's HMAC or RSA, a few percent of a request's CPU)
 * once a minute instead of every time. Only successes are kept, each for at most a minute and
 * never past the token's `exp`; a bad token is checked, and refused, every time.
 */
export function cacheVerifiedTokens(verify: TokenVerifier, verified: KeyValueCache<Caller> = verifiedTokenStore()): TokenVerifier {
  return async (authorization) => {
    if (authorization === undefined) return verify(authorization);
    const hit = await verified.get(authorization);
    if (hit) return hit;
    const caller = await verify(authorization);
    // A TTL of 0 would mean "forever" to the store: a token about to expire is not kept at all.
    const ttl = caller.expiresAt === undefined ? 0 : Math.min(MAX_AGE_SECONDS, (caller.expiresAt - Date.now()) / 1000);
    if (ttl > 0) await verified.set(authorization, caller, { ttl });
    return caller;
  };
}
