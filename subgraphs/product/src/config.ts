import { readAuthConfig, readGatewaySecret, readServiceCredential, type AuthConfig } from '../../../lib/auth.js';
import { readPort, readShutdownGraceMs, readUrl, type Env } from '../../../lib/config.js';

export interface ProductConfig {
  port: number;
  databaseUrl: string;
  auth: AuthConfig;
  serviceCredential: string;
  gatewaySecret?: string;
  /** How long a stop lets in-flight requests (and their saga steps) finish; default 25 s. */
  shutdownGraceMs?: number;
}

export function readProductConfig(env: Env): ProductConfig {
  return {
    port: readPort(env, 'PORT', 4001),
    databaseUrl: readUrl(env, 'DATABASE_URL', 'postgres://postgres:postgres@localhost:5432/product'),
    auth: readAuthConfig(env),
    serviceCredential: readServiceCredential(env),
    gatewaySecret: readGatewaySecret(env),
    shutdownGraceMs: readShutdownGraceMs(env),
  };
}
