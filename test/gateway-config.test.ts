import { ConfigError } from '../lib/config.js';
import { readGatewayConfig } from '../gateway/src/config.js';
import { readGatewaySecurity, type GatewaySecurity } from '../gateway/src/security.js';
import { readOrderConfig } from '../subgraphs/order/src/config.js';
import { PROMISED_PLACE_ORDER_WAIT_MS, slowestPlaceOrderMs } from './support/saga-worst-case.js';

/** The gateway's protections as its environment sets them (docs/configuration.md and docs/security.md). */

const VARIABLES: [name: string, read: (security: GatewaySecurity) => number, documentedDefault: number][] = [
  ['MAX_DEPTH', (s) => s.limits.maxDepth, 10],
  ['MAX_INTROSPECTION_DEPTH', (s) => s.limits.maxIntrospectionDepth, 25],
  ['MAX_ALIASES', (s) => s.limits.maxAliases, 30],
  ['MAX_ROOT_FIELDS', (s) => s.limits.maxRootFields, 10],
  ['MAX_DIRECTIVES', (s) => s.limits.maxDirectives, 20],
  ['MAX_TOKENS', (s) => s.limits.maxTokens, 2_000],
  ['MAX_COST', (s) => s.limits.maxCost, 10_000],
  ['MAX_BATCH', (s) => s.limits.maxBatch, 10],
  ['GATEWAY_REQUEST_TIMEOUT_MS', (s) => s.requestTimeoutMs, 30_000],
];

describe('gateway security settings', () => {
  it.each(VARIABLES.map(([name, read, fallback]) => [name, fallback, read] as const))('%s defaults to %d', (name, fallback, read) => {
    expect(read(readGatewaySecurity({}))).toBe(fallback);
    expect(read(readGatewaySecurity({ [name]: '  ' }))).toBe(fallback);
  });

  it.each(VARIABLES.map(([name, read]) => [name, read] as const))('reads %s into its own setting', (name, read) => {
    const security = readGatewaySecurity({ [name]: '4321' });
    expect(read(security)).toBe(4321);
    // Every other setting keeps its default: no two settings read the same variable.
    for (const [other, readOther, fallback] of VARIABLES) if (other !== name) expect(readOther(security)).toBe(fallback);
  });

  it.each(VARIABLES.flatMap(([name]) => ['0', '-5', 'ten', '2.5', '1e9'].map((value) => [name, value] as const)))('refuses %s=%s with a ConfigError naming it', (name, value) => {
    expect(() => readGatewaySecurity({ [name]: value })).toThrow(ConfigError);
    expect(() => readGatewaySecurity({ [name]: value })).toThrow(new RegExp(`^${name} must be an integer between`));
  });

  it('refuses a request timeout under 100 ms', () => {
    expect(() => readGatewaySecurity({ GATEWAY_REQUEST_TIMEOUT_MS: '99' })).toThrow(/^GATEWAY_REQUEST_TIMEOUT_MS must be/);
    expect(readGatewaySecurity({ GATEWAY_REQUEST_TIMEOUT_MS: '100' }).requestTimeoutMs).toBe(100);
  });

  it('lets a placeOrder with the payment service hanging finish before the request timeout cuts it off', async () => {
    const slowest = await slowestPlaceOrderMs(readOrderConfig({}).saga);
    const { requestTimeoutMs } = readGatewaySecurity({});
    expect(requestTimeoutMs).toBeGreaterThan(PROMISED_PLACE_ORDER_WAIT_MS);
    expect(requestTimeoutMs).toBeGreaterThan(slowest.withVoid);
  });
});

describe('introspection', () => {
  it('is off with NODE_ENV=production unless INTROSPECTION=true', () => {
    expect(readGatewaySecurity({ NODE_ENV: 'production' }).introspection).toBe(false);
    expect(readGatewaySecurity({ NODE_ENV: 'production', INTROSPECTION: 'true' }).introspection).toBe(true);
    expect(readGatewaySecurity({ NODE_ENV: 'production', INTROSPECTION: 'false' }).introspection).toBe(false);
  });

  it.each([undefined, 'development', 'test', 'staging'])('is on with NODE_ENV=%s unless INTROSPECTION=false', (nodeEnv) => {
    expect(readGatewaySecurity({ NODE_ENV: nodeEnv }).introspection).toBe(true);
    expect(readGatewaySecurity({ NODE_ENV: nodeEnv, INTROSPECTION: 'false' }).introspection).toBe(false);
  });

  it('refuses an INTROSPECTION that is not a boolean, naming it', () => {
    expect(() => readGatewaySecurity({ INTROSPECTION: 'sometimes' })).toThrow(new ConfigError('INTROSPECTION must be true or false, got "sometimes"'));
  });
});

describe("Apollo's gateway telemetry", () => {
  const base = { JWT_SECRET: 'a-secret-long-enough-for-hs256-0123456789' };

  it('is off unless APOLLO_TELEMETRY=true, in production too', () => {
    expect(readGatewayConfig(base).apolloTelemetry).toBe(false);
    expect(readGatewayConfig({ ...base, NODE_ENV: 'production' }).apolloTelemetry).toBe(false);
    expect(readGatewayConfig({ ...base, APOLLO_TELEMETRY: 'true' }).apolloTelemetry).toBe(true);
  });

  it('refuses an APOLLO_TELEMETRY that is not a boolean, naming it', () => {
    expect(() => readGatewayConfig({ ...base, APOLLO_TELEMETRY: 'yes please' })).toThrow(/^APOLLO_TELEMETRY must be true or false/);
  });
});
