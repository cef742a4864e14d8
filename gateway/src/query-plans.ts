import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import type { QueryPlan, QueryPlanCache, QueryPlannerConfig } from '@apollo/query-planner';
import type { Counter } from 'prom-client';

/** Apollo's own default size of the gateway's plan store. */
export const DEFAULT_QUERY_PLAN_CACHE_MIB = 30;

export interface QueryPlanSettings {
  /** Approximate size of the plan store (plans measured as JSON), in MiB. */
  cacheMiB: number;
}

export interface QueryPlans {
  /** ApolloGateway's `queryPlannerConfig`: the store it looks plans up in. */
  plannerConfig: QueryPlannerConfig & { cache: QueryPlanCache };
}

/**
 * The gateway's query plan store, sized by GATEWAY_QUERY_PLAN_CACHE_MIB and counted, hits and
 * misses, by gateway_query_plan_cache_total. @apollo/gateway takes it in place of its own store and
 * empties it (`clear`) on every supergraph update.
 */
export function createQueryPlans(settings: QueryPlanSettings, lookups: Counter<'result'>): QueryPlans {
  // Sized as @apollo/gateway sizes its own store (each plan counted as its JSON's bytes).
  const plans = new InMemoryLRUCache<QueryPlan>({ maxSize: settings.cacheMiB * 2 ** 20 });
  const cache: QueryPlanCache = {
    async get(key) {
      const plan = await plans.get(key);
      lookups.inc({ result: plan ? 'hit' : 'miss' });
      return plan;
    },
    set: (key, plan, options) => plans.set(key, plan, options),
    delete: (key) => plans.delete(key),
    clear: () => plans.clear(),
  };
  return { plannerConfig: { cache } };
}
