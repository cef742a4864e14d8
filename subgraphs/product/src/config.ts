import { readAuthConfig, readGatewaySecret, readServiceCredential, type AuthConfig } from '../../../lib/auth.js';
import { readPort, readUrl, type Env } from '../../../lib/config.js';

export interface ProductConfig {
  port: number;
  databaseUrl: string;
  auth: AuthConfig;
  serviceCredential: string;
  gatewaySecret?: string;
}

export function readProductConfig(env: Env): ProductConfig {
  return {
    port: readPort(env, 'PORT', 4001),
    databaseUrl: readUrl(env, 'DATABASE_URL', 'postgres://postgres:postgres@localhost:5432/product'),
    auth: readAuthConfig(env),
    serviceCredential: readServiceCredential(env),
    gatewaySecret: readGatewaySecret(env),
  };
}
