import { setImmediate as nextTurn } from 'node:timers/promises';
import { createHash } from 'node:crypto';
import { parse, validate } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { operationFromDocument, Supergraph } from '@apollo/federation-internals';
import { QueryPlanner, type QueryPlan, type QueryPlanCache, type QueryPlannerConfig } from '@apollo/query-planner';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import type { Counter } from 'prom-client';
import type { Logger } from '../../lib/log.js';

/** Apollo's own default size of the gateway's plan store. */
export const DEFAULT_QUERY_PLAN_CACHE_MIB = 30;
export const DEFAULT_QUERY_PLAN_WARMUP = 100;

export interface QueryPlanSettings {
  /** Approximate size of the plan store (plans measured as JSON), in MiB. */
  cacheMiB: number;
  /** How many of the most recently executed distinct operations are planned again after a
   *  supergraph reload; 0 remembers nothing. */
  warmup: number;
}

export interface QueryPlans {
  /** ApolloGateway's `queryPlannerConfig`: the store it looks plans up in, and the config our own
   *  planner shares so a warmed plan is the plan the gateway would have built. */
  plannerConfig: QueryPlannerConfig & { cache: QueryPlanCache };
  /** Remembers each operation that reaches execution (past validation and the limits). */
  plugin: ApolloServerPlugin;
  /** Plans the remembered operations against `supergraphSdl`; the function it resolves to puts the
   *  plans into the store. Never throws. */
  planFor(supergraphSdl: string): Promise<() => void>;
}

/** The key @apollo/gateway's executor looks a plan up by (its `queryPlanStoreKey`). */
function storeKey(queryHash: string, operationName: string | undefined): string {
  return operationName ? createHash('sha256').update(queryHash).update(operationName).digest('hex') : queryHash;
}

/**
 * The gateway's query plan store, sized, counted and kept warm across supergraph reloads.
 *
 * @apollo/gateway empties its plan store on every supergraph update, so after a reload every
 * operation would plan again on its next request: CPU on the request path, for all the traffic at
 * once. Instead the most recently executed distinct operations are remembered and, when the
 * supergraph file changes, planned against the new supergraph while the old one still serves
 * (yielding between plans). The plans go into the store right after the gateway swaps supergraphs,
 * in the same turn of the event loop, so no request on the new supergraph finds the store cold.
 * Planning only plans: it runs no operation (a mutation's plan is just a plan) and calls no
 * subgraph. An operation that no longer validates is skipped: the gateway would refuse it anyway.
 */
export function createQueryPlans(settings: QueryPlanSettings, lookups: Counter<'result'>, logger: Logger): QueryPlans {
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
  const plannerConfig = { cache };
  // Most recently executed last (a Map keeps insertion order: re-inserting moves an entry to the end),
  // one entry per plan the gateway stores, i.e. per query hash and requested operation name.
  const recent = new Map<string, { queryHash: string; source: string; operationName?: string; name: string }>();

  const plugin: ApolloServerPlugin = {
    async requestDidStart() {
      if (settings.warmup === 0) return;
      return {
        async executionDidStart({ source, queryHash, request, operationName: name }) {
          // The request's operationName, as the gateway keys and plans by it (not the name resolved from the document).
          const operationName = request.operationName || undefined;
          const key = `${queryHash}:${operationName ?? ''}`;
          recent.delete(key);
          recent.set(key, { queryHash, source, operationName, name: name ?? 'anonymous' });
          if (recent.size > settings.warmup) recent.delete(recent.keys().next().value!);
        },
      };
    },
  };

  async function planFor(supergraphSdl: string): Promise<() => void> {
    if (recent.size === 0) return () => {};
    const started = performance.now();
    const planned: [string, QueryPlan][] = [];
    let skipped = 0;
    try {
      const supergraph = Supergraph.build(supergraphSdl);
      const apiSchema = supergraph.apiSchema();
      const schema = apiSchema.toGraphQLJSSchema();
      const planner = new QueryPlanner(supergraph, plannerConfig);
      for (const { queryHash, source, operationName, name } of [...recent.values()]) {
        // The running supergraph keeps serving between plans.
        await nextTurn();
        try {
          const document = parse(source);
          const errors = validate(schema, document);
          if (errors.length > 0) throw errors[0];
          planned.push([storeKey(queryHash, operationName), planner.buildQueryPlan(operationFromDocument(apiSchema, document, { operationName }))]);
        } catch (error) {
          skipped += 1;
          logger.debug({ operation: name, reason: String(error) }, 'query plan not warmed: the operation does not plan against the new supergraph');
        }
      }
    } catch (error) {
      // A supergraph that does not build: the gateway refuses it too, and says so.
      logger.debug({ reason: String(error) }, 'query plans not warmed: the new supergraph does not build');
      return () => {};
    }
    const durationMs = Math.round(performance.now() - started);
    return () => {
      for (const [key, plan] of planned) void plans.set(key, plan);
      logger.info({ warmed: planned.length, skipped, durationMs }, 'query plans warmed for the new supergraph');
    };
  }

  return { plannerConfig, plugin, planFor };
}
