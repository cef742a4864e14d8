import { decodeJwt } from 'jose';
import type { TokenVerifier } from '../../../lib/auth.js';
import type { Subscriber } from './engine.js';

/** Verifies the token a subscription presents, once when it starts (and the connection's once when
 *  it opens): the subscriber, with when its token expires so the engine can end it then. */
export async function subscriberFrom(verify: TokenVerifier, authorization: string | undefined): Promise<Subscriber> {
  const { customerId } = await verify(authorization);
  if (customerId === null) return { customerId: null };
  const exp = decodeJwt(authorization!.trim().replace(/^Bearer\s+/i, '')).exp;
  return { authorization, customerId, expiresAt: exp === undefined ? undefined : exp * 1000 };
}
