import type { QueryPlan } from '@apollo/query-planner';
import { ConfigError } from '../../lib/config.js';
import { createLogger } from '../../lib/log.js';
import { createMetrics, createQueryPlanCacheMetric } from '../../lib/metrics.js';
import { readGatewayConfig } from '../src/config.js';
import { createQueryPlans } from '../src/query-plans.js';

/** A stand-in plan whose JSON is `mib` MiB: the store measures plans as their JSON's bytes. */
const planOf = (mib: number) => ({ kind: 'QueryPlan', padding: 'x'.repeat(mib * 2 ** 20) }) as unknown as QueryPlan;

function storeOf(cacheMiB: number) {
  return createQueryPlans({ cacheMiB, warmup: 0 }, createQueryPlanCacheMetric(createMetrics('gateway')), createLogger('test', 'silent')).plannerConfig.cache;
}

describe('the query plan store', () => {
  it('holds plans up to GATEWAY_QUERY_PLAN_CACHE_MIB, evicting the least recently used', async () => {
    const store = storeOf(2);
    await store.set('first', planOf(0.75));
    await store.set('second', planOf(0.75));
    expect(await store.get('first')).toBeDefined();
    await store.set('third', planOf(0.75));
    expect(await store.get('second')).toBeUndefined();
    expect(await store.get('first')).toBeDefined();
    expect(await store.get('third')).toBeDefined();
    await store.set('too big', planOf(2.5));
    expect(await store.get('too big')).toBeUndefined();
    const bigger = storeOf(3);
    await bigger.set('big', planOf(2.5));
    expect(await bigger.get('big')).toBeDefined();
  });
});

describe('query plan settings', () => {
  it('default to Apollo\'s 30 MiB store and the 100 most recent operations', () => {
    expect(readGatewayConfig({}).queryPlans).toEqual({ cacheMiB: 30, warmup: 100 });
    expect(readGatewayConfig({ GATEWAY_QUERY_PLAN_CACHE_MIB: '64', GATEWAY_QUERY_PLAN_WARMUP: '0' }).queryPlans).toEqual({ cacheMiB: 64, warmup: 0 });
  });

  it.each([['0'], ['-5'], ['1.5'], ['lots'], ['2048']])('refuses GATEWAY_QUERY_PLAN_CACHE_MIB=%s, naming it', (value) => {
    const read = () => readGatewayConfig({ GATEWAY_QUERY_PLAN_CACHE_MIB: value });
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(`GATEWAY_QUERY_PLAN_CACHE_MIB must be an integer between 1 and 1024, got "${value}"`);
  });

  it('refuses a GATEWAY_QUERY_PLAN_WARMUP that is not a count, naming it', () => {
    expect(() => readGatewayConfig({ GATEWAY_QUERY_PLAN_WARMUP: 'all' })).toThrow('GATEWAY_QUERY_PLAN_WARMUP must be an integer between 0 and 10000, got "all"');
  });
});
