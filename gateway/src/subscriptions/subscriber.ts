import type { TokenVerifier } from '../../../lib/auth.js';
import type { Subscriber } from './engine.js';

/** Verifies the token a subscription presents, once when it starts (and the connection's once when
 *  it opens): the subscriber, with when its token expires so the engine can end it then. */
export async function subscriberFrom(verify: TokenVerifier, authorization: string | undefined): Promise<Subscriber> {
  const { customerId, expiresAt } = await verify(authorization);
  return customerId === null ? { customerId: null } : { authorization, customerId, expiresAt };
}
