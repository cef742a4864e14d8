import { readAuthConfig, readGatewaySecret, readServiceCredential, type AuthConfig } from '../../../lib/auth.js';
import { ConfigError, readNumber, readPort, readShutdownGraceMs, readString, readUrl, type Env } from '../../../lib/config.js';
import { formatMoney, parseMoney } from '../../../lib/money.js';
import type { ProcessorConfig } from './processor.js';

export interface PaymentConfig {
  port: number;
  databaseUrl: string;
  auth: AuthConfig;
  serviceCredential: string;
  gatewaySecret?: string;
  /** How long a stop lets in-flight requests (and their saga steps) finish; default 25 s. */
  shutdownGraceMs?: number;
  processor: ProcessorConfig;
}

export function readPaymentConfig(env: Env): PaymentConfig {
  return {
    port: readPort(env, 'PORT', 4002),
    databaseUrl: readUrl(env, 'DATABASE_URL', 'postgres://postgres:postgres@localhost:5432/payment'),
    auth: readAuthConfig(env),
    serviceCredential: readServiceCredential(env),
    gatewaySecret: readGatewaySecret(env),
    shutdownGraceMs: readShutdownGraceMs(env),
    processor: {
      declineThreshold: readDeclineThreshold(env, 'PAYMENT_DECLINE_THRESHOLD'),
      latencyMs: readNumber(env, 'PAYMENT_LATENCY_MS', 0, { min: 0, max: 600_000, integer: true }),
      failureRate: readNumber(env, 'PAYMENT_FAILURE_RATE', 0, { min: 0, max: 1 }),
    },
  };
}

function readDeclineThreshold(env: Env, name: string): string {
  const text = readString(env, name, '1000.00');
  let cents: bigint;
  try {
    cents = parseMoney(text);
  } catch {
    throw new ConfigError(`${name} must be an amount with at most two fraction digits, e.g. "1000.00", got "${text}"`);
  }
  if (cents < 0n) throw new ConfigError(`${name} must not be negative, got "${text}"`);
  return formatMoney(cents);
}
