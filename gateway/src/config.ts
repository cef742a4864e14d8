import { readAuthConfig, type AuthConfig } from '../../lib/auth.js';
import { readOptionalUrl, readPort, readString, type Env } from '../../lib/config.js';

export interface GatewayConfig {
  port: number;
  supergraphPath: string;
  /** Subgraph name (as in the supergraph) → URL that replaces the one composed into it. */
  subgraphUrls: Record<string, string>;
  auth: AuthConfig;
}

export function readGatewayConfig(env: Env): GatewayConfig {
  const subgraphUrls: Record<string, string> = {};
  for (const [name, variable] of [['product', 'PRODUCT_URL'], ['payment', 'PAYMENT_URL'], ['order', 'ORDER_URL']] as const) {
    const url = readOptionalUrl(env, variable);
    if (url) subgraphUrls[name] = url;
  }
  return {
    port: readPort(env, 'PORT', 4000),
    supergraphPath: readString(env, 'SUPERGRAPH_PATH', 'schema/supergraph.graphql'),
    subgraphUrls,
    auth: readAuthConfig(env),
  };
}
