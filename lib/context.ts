import type { GraphQLRequestView } from './lean-graphql.js';
import { createTokenVerifier, GATEWAY_SECRET_HEADER, matchesSecret, SERVICE_CREDENTIAL_HEADER, type AuthConfig, type Caller } from './auth.js';
import { cacheVerifiedTokens } from './token-cache.js';
import { ForbiddenError, GatewayOnlyError, rethrowAsGraphQLError, toGraphQLError, UnauthenticatedError } from './errors.js';

export interface CallerConfig {
  auth: AuthConfig;
  serviceCredential: string;
  gatewaySecret?: string;
}

/** Works out who sent a request. A bad token fails the whole request: it is never read as anonymous. */
export function createCallerResolver(config: CallerConfig): (req: GraphQLRequestView) => Promise<Caller> {
  // An HS256 token stays valid until its exp whatever happens, so one that verified is remembered
  // (lib/token-cache.ts). A JWKS-signed one is checked every time: a subgraph re-verifying against
  // the fresh key set is what refuses a revoked key's tokens that the gateway still remembers.
  const verify = config.auth.jwksUrl ? createTokenVerifier(config.auth) : cacheVerifiedTokens(createTokenVerifier(config.auth));
  return async (req) => {
    const isService = matchesSecret(req.header(SERVICE_CREDENTIAL_HEADER), config.serviceCredential);
    if (config.gatewaySecret && !isService && !matchesSecret(req.header(GATEWAY_SECRET_HEADER), config.gatewaySecret)) {
      throw toGraphQLError(new GatewayOnlyError('This subgraph answers only the gateway'));
    }
    return { ...(await verify(req.header('authorization')).catch(rethrowAsGraphQLError)), isService };
  };
}

export function requireCustomer(caller: Caller): string {
  if (caller.customerId === null) throw new UnauthenticatedError('Sign in: this operation needs a token');
  return caller.customerId;
}

export function requireAdmin(caller: Caller): void {
  requireCustomer(caller);
  if (!caller.isAdmin) throw new ForbiddenError('Only an admin may do this');
}

/** The internal saga operations answer only to callers holding the service credential. */
export function requireService(caller: Caller): void {
  if (!caller.isService) throw new ForbiddenError('This operation is internal to the supergraph');
}

export function canSeeCustomerData(caller: Caller, customerId: string): boolean {
  return caller.isService || caller.isAdmin || (caller.customerId !== null && caller.customerId === customerId);
}
