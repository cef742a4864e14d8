import { signDevToken, type AuthConfig } from '../lib/auth.js';

export const DEMO_CUSTOMER = 'demo-customer';
export const DEMO_ADMIN = 'demo-admin';
const TOKEN_TTL_SECONDS = 12 * 60 * 60;

export interface DemoTokens {
  customer: string;
  admin: string;
}

/** Signed the way the services verify, issuer and audience included when they are configured. */
export async function signDemoTokens(auth: AuthConfig & { jwtSecret: string }): Promise<DemoTokens> {
  const claims = { ttlSeconds: TOKEN_TTL_SECONDS, issuer: auth.issuer, audience: auth.audience };
  return {
    customer: await signDevToken(auth.jwtSecret, { ...claims, sub: DEMO_CUSTOMER }),
    admin: await signDevToken(auth.jwtSecret, { ...claims, sub: DEMO_ADMIN, admin: true }),
  };
}

const EXAMPLE_QUERY = 'query { products(first: 5, filter: { search: "coffee" }) { totalCount edges { node { id name price stock } } } }';

export function welcomeText(playgroundUrl: string, tokens: DemoTokens): string {
  return [
    '',
    `The supergraph is running. Playground: ${playgroundUrl}`,
    '',
    `Customer token (sub "${DEMO_CUSTOMER}", valid 12h), the Authorization header value:`,
    `  Bearer ${tokens.customer}`,
    '',
    `Admin token (sub "${DEMO_ADMIN}", valid 12h), the Authorization header value:`,
    `  Bearer ${tokens.admin}`,
    '',
    'Try this in the playground (no token needed to read products):',
    `  ${EXAMPLE_QUERY}`,
    '',
    'Ctrl-C stops everything.',
    '',
  ].join('\n');
}
