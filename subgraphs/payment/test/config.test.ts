import { ConfigError } from '../../../lib/config.js';
import { readPaymentConfig } from '../src/config.js';

describe('payment configuration', () => {
  it('runs a processor that declines from 1000.00, answers at once and never fails by default', () => {
    const config = readPaymentConfig({});
    expect(config.port).toBe(4002);
    expect(config.processor).toEqual({ declineThreshold: '1000.00', latencyMs: 0, failureRate: 0 });
  });

  it('reads the simulator settings, normalising the threshold to two fraction digits', () => {
    const config = readPaymentConfig({ PAYMENT_DECLINE_THRESHOLD: '250', PAYMENT_LATENCY_MS: '1500', PAYMENT_FAILURE_RATE: '0.25' });
    expect(config.processor).toEqual({ declineThreshold: '250.00', latencyMs: 1500, failureRate: 0.25 });
  });

  it.each([
    ['PAYMENT_DECLINE_THRESHOLD', 'lots'],
    ['PAYMENT_DECLINE_THRESHOLD', '1e3'],
    ['PAYMENT_DECLINE_THRESHOLD', '-5.00'],
    ['PAYMENT_LATENCY_MS', '-1'],
    ['PAYMENT_LATENCY_MS', '2.5'],
    ['PAYMENT_FAILURE_RATE', '1.5'],
    ['PAYMENT_FAILURE_RATE', 'often'],
  ])('refuses %s=%s with an error that names the variable', (name, value) => {
    expect(() => readPaymentConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => readPaymentConfig({ [name]: value })).toThrow(name);
  });
});
