import { buildOperationContext, type ServiceMap } from '@apollo/gateway';
import { operationFromDocument, Supergraph, type Schema } from '@apollo/federation-internals';
import { QueryPlanner, type FetchNode, type PlanNode, type QueryPlan } from '@apollo/query-planner';
import type { DocumentNode, GraphQLSchema } from 'graphql';

type OperationContext = ReturnType<typeof buildOperationContext>;

/** A subscription's plan, from Apollo's query planner: the fetch that subscribes (to the root
 *  field's subgraph) and what resolves the rest of each event (entity fetches to the others). */
export interface SubscriptionPlan {
  primary: FetchNode;
  rest?: PlanNode;
  operationContext: OperationContext;
}

/** One supergraph as the subscription side sees it: planned and executed against together. */
export interface SupergraphState {
  /** The API schema clients validate against. */
  schema: GraphQLSchema;
  apiSchema: Schema;
  supergraphSchema: GraphQLSchema;
  serviceMap: ServiceMap;
  /** Each subgraph's URL as composed into the supergraph. */
  subgraphUrls: Record<string, string>;
  plan(document: DocumentNode, source: string, operationName: string | undefined): SubscriptionPlan;
  /** A query's or mutation's plan with @defer planned (DeferNodes), for incremental delivery. */
  planIncremental(document: DocumentNode, source: string, operationName: string | undefined): QueryPlan;
}

/** Clients send the same few operations again and again: each planned once (the oldest of 1,000
 *  distinct ones is forgotten first). */
function remembered<T>(build: (document: DocumentNode, operationName: string | undefined) => T) {
  const byKey = new Map<string, T>();
  return (document: DocumentNode, source: string, operationName: string | undefined): T => {
    const key = `${operationName ?? ''}\n${source}`;
    const known = byKey.get(key);
    if (known) return known;
    const built = build(document, operationName);
    if (byKey.size >= 1_000) byKey.delete(byKey.keys().next().value!);
    byKey.set(key, built);
    return built;
  };
}

/** The supergraph's subgraphs, each with its URL (overrides applied by the caller). */
export type ServiceMapBuilder = (subgraphs: { name: string; url: string }[]) => ServiceMap;

export function buildSupergraphState(supergraphSdl: string, buildServiceMap: ServiceMapBuilder): SupergraphState {
  const supergraph = Supergraph.build(supergraphSdl);
  const apiSchema = supergraph.apiSchema();
  // graphql-js 16 has no @defer among its specified directives: the API schema declares it.
  const schema = apiSchema.toGraphQLJSSchema({ includeDefer: true });
  const planner = new QueryPlanner(supergraph);
  let deferPlanner: QueryPlanner | undefined;
  const subgraphs = supergraph.subgraphs().values().map(({ name, url }) => ({ name, url }));
  const serviceMap = buildServiceMap(subgraphs);
  return {
    schema,
    apiSchema,
    supergraphSchema: supergraph.schema.toGraphQLJSSchema(),
    serviceMap,
    subgraphUrls: Object.fromEntries(subgraphs.map(({ name, url }) => [name, url])),
    plan: remembered((document, operationName) => {
      const plan = planner.buildQueryPlan(operationFromDocument(apiSchema, document, { operationName }));
      if (plan.node?.kind !== 'Subscription') throw new Error('not a subscription plan');
      return { primary: plan.node.primary, rest: plan.node.rest, operationContext: buildOperationContext({ schema, operationDocument: document, operationName }) };
    }),
    planIncremental: remembered((document, operationName) => {
      // Built on first use: a gateway nobody sends @defer to does not pay for a second planner.
      deferPlanner ??= new QueryPlanner(supergraph, { incrementalDelivery: { enableDefer: true } });
      return deferPlanner.buildQueryPlan(operationFromDocument(apiSchema, document, { operationName }));
    }),
  };
}
