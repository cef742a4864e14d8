import { readAuthConfig, readGatewaySecret, readServiceCredential, type AuthConfig } from './auth.js';
import { readPort, readShutdownGraceMs, readUrl, type Env } from './config.js';

/** What every subgraph reads from its environment; each adds its own settings on top. */
export interface SubgraphConfig {
  port: number;
  databaseUrl: string;
  auth: AuthConfig;
  serviceCredential: string;
  gatewaySecret?: string;
  /** How long a stop lets in-flight requests (and their saga steps) finish; default 25 s. */
  shutdownGraceMs?: number;
}

export function readSubgraphConfig(env: Env, database: string, defaultPort: number): SubgraphConfig {
  return {
    port: readPort(env, 'PORT', defaultPort),
    databaseUrl: readUrl(env, 'DATABASE_URL', `postgres://postgres:postgres@localhost:5432/${database}`),
    auth: readAuthConfig(env),
    serviceCredential: readServiceCredential(env),
    gatewaySecret: readGatewaySecret(env),
    shutdownGraceMs: readShutdownGraceMs(env),
  };
}
