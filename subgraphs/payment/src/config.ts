import { ConfigError, readNumber, readString, type Env } from '../../../lib/config.js';
import { readSubgraphConfig, type SubgraphConfig } from '../../../lib/subgraph-config.js';
import { formatMoney, parseMoney } from '../../../lib/money.js';
import type { ProcessorConfig } from './processor.js';

export interface PaymentConfig extends SubgraphConfig {
  processor: ProcessorConfig;
}

export function readPaymentConfig(env: Env): PaymentConfig {
  return {
    ...readSubgraphConfig(env, 'payment', 4002),
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
