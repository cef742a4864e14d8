import { ConfigError } from '../../../lib/config.js';
import { PROMISED_PLACE_ORDER_WAIT_MS, slowestPlaceOrderMs } from '../../../test/support/saga-worst-case.js';
import { readOrderConfig } from '../src/config.js';

describe('order configuration', () => {
  it('has the documented saga defaults: 4 s per call, 2 charge retries from 200 ms, the peers on localhost', () => {
    const config = readOrderConfig({});
    expect(config.port).toBe(4003);
    expect(config.saga).toEqual(
      expect.objectContaining({
        productUrl: 'http://localhost:4001/graphql',
        paymentUrl: 'http://localhost:4002/graphql',
        callTimeoutMs: 4_000,
        chargeRetries: 2,
        retryBaseDelayMs: 200,
      }),
    );
  });

  it('has the documented recovery defaults: 30 s grace, every 10 s, 60 s lease, 20 orders a pass', () => {
    expect(readOrderConfig({}).recovery).toEqual({ graceMs: 30_000, intervalMs: 10_000, leaseMs: 60_000, batchSize: 20 });
  });

  it('limits placeOrder to 60 calls per customer per 60 s unless told otherwise', () => {
    expect(readOrderConfig({}).placeOrderRateLimit).toEqual({ points: 60, windowSeconds: 60 });
    expect(readOrderConfig({ PLACE_ORDER_RATE_LIMIT: '5', PLACE_ORDER_RATE_WINDOW_SECONDS: '30' }).placeOrderRateLimit).toEqual({ points: 5, windowSeconds: 30 });
  });

  it('reads every saga and recovery setting from its own variable', () => {
    const config = readOrderConfig({
      PRODUCT_URL: 'http://product:8080/graphql',
      PAYMENT_URL: 'https://payment.internal/graphql',
      SAGA_CALL_TIMEOUT_MS: '1500',
      SAGA_CHARGE_RETRIES: '4',
      SAGA_RETRY_BASE_MS: '50',
      RECOVERY_GRACE_MS: '45000',
      RECOVERY_INTERVAL_MS: '5000',
      RECOVERY_LEASE_MS: '90000',
      RECOVERY_BATCH_SIZE: '7',
    });
    expect(config.saga).toEqual(
      expect.objectContaining({
        productUrl: 'http://product:8080/graphql',
        paymentUrl: 'https://payment.internal/graphql',
        callTimeoutMs: 1_500,
        chargeRetries: 4,
        retryBaseDelayMs: 50,
      }),
    );
    expect(config.recovery).toEqual({ graceMs: 45_000, intervalMs: 5_000, leaseMs: 90_000, batchSize: 7 });
  });

  it.each([
    ['PRODUCT_URL', 'product:4001'],
    ['PAYMENT_URL', 'ftp://payment/graphql'],
    ['SAGA_CALL_TIMEOUT_MS', '99'],
    ['SAGA_CALL_TIMEOUT_MS', '4s'],
    ['SAGA_CHARGE_RETRIES', '-1'],
    ['SAGA_CHARGE_RETRIES', '11'],
    ['SAGA_CHARGE_RETRIES', '1.5'],
    ['SAGA_RETRY_BASE_MS', 'fast'],
    ['SAGA_RETRY_BASE_MS', '10001'],
    ['RECOVERY_GRACE_MS', '-1'],
    ['RECOVERY_INTERVAL_MS', '49'],
    ['RECOVERY_LEASE_MS', '99'],
    ['RECOVERY_BATCH_SIZE', '0'],
    ['RECOVERY_BATCH_SIZE', '1001'],
    ['PLACE_ORDER_RATE_LIMIT', '0'],
    ['PLACE_ORDER_RATE_WINDOW_SECONDS', '2.5'],
  ])('refuses %s=%s with a ConfigError naming the variable', (name, value) => {
    expect(() => readOrderConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => readOrderConfig({ [name]: value })).toThrow(new RegExp(`^${name} must be`));
  });
});

describe('how long placeOrder may keep a client waiting with the payment service hanging', () => {
  const defaults = readOrderConfig({});
  let slowest: Awaited<ReturnType<typeof slowestPlaceOrderMs>>;
  beforeAll(async () => {
    slowest = await slowestPlaceOrderMs(defaults.saga);
  });

  it('tries a charge that keeps timing out 3 times with the default policy', () => {
    expect(slowest.attempts).toBe(3);
  });

  it('is under the promised 20 s: 3 attempts of 4 s plus at most 0.6 s of backoff, and a voiding call of 4 s', () => {
    expect(slowest.backoff).toBe(200 + 400);
    expect(slowest.charging).toBe(12_600);
    expect(slowest.withVoid).toBe(16_600);
    expect(slowest.withVoid).toBeLessThan(PROMISED_PLACE_ORDER_WAIT_MS);
  });

  it('is shorter than the recovery grace, so recovery never takes over an order a request is still driving', () => {
    expect(defaults.recovery.graceMs).toBeGreaterThan(PROMISED_PLACE_ORDER_WAIT_MS);
    expect(defaults.recovery.graceMs).toBeGreaterThan(slowest.withVoid);
  });

  it('is shorter than the shutdown grace, so a SIGTERM lets a placeOrder in flight finish', () => {
    expect(defaults.shutdownGraceMs).toBeGreaterThan(PROMISED_PLACE_ORDER_WAIT_MS);
    expect(defaults.shutdownGraceMs).toBeGreaterThan(slowest.withVoid);
  });
});
