import { DEV_SERVICE_CREDENTIAL, readAuthConfig, type AuthConfig } from '../../../lib/auth.js';
import { readNumber, readPort, readString, readUrl, type Env } from '../../../lib/config.js';

export interface SagaConfig {
  productUrl: string;
  paymentUrl: string;
  serviceCredential: string;
  /** Time limit of one call to another subgraph. */
  callTimeoutMs: number;
  /** Retries of a charge that failed transiently (the contract says 2). */
  chargeRetries: number;
  /** First backoff delay; doubles per retry, with jitter. */
  retryBaseDelayMs: number;
}

export interface OrderConfig {
  port: number;
  databaseUrl: string;
  auth: AuthConfig;
  serviceCredential: string;
  saga: SagaConfig;
}

export function readOrderConfig(env: Env): OrderConfig {
  const serviceCredential = readString(env, 'SERVICE_CREDENTIAL', DEV_SERVICE_CREDENTIAL);
  return {
    port: readPort(env, 'PORT', 4003),
    databaseUrl: readUrl(env, 'DATABASE_URL', 'postgres://postgres:postgres@localhost:5432/order'),
    auth: readAuthConfig(env),
    serviceCredential,
    saga: {
      productUrl: readUrl(env, 'PRODUCT_URL', 'http://localhost:4001/graphql'),
      paymentUrl: readUrl(env, 'PAYMENT_URL', 'http://localhost:4002/graphql'),
      serviceCredential,
      // 3 charge attempts of 5 s plus backoff stay under the ~20 s a client is promised.
      callTimeoutMs: readNumber(env, 'SAGA_CALL_TIMEOUT_MS', 5_000, { min: 100, max: 60_000, integer: true }),
      chargeRetries: readNumber(env, 'SAGA_CHARGE_RETRIES', 2, { min: 0, max: 10, integer: true }),
      retryBaseDelayMs: readNumber(env, 'SAGA_RETRY_BASE_MS', 200, { min: 0, max: 10_000, integer: true }),
    },
  };
}
