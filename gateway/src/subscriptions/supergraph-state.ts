import { buildOperationContext, type ServiceMap } from '@apollo/gateway';
import { operationFromDocument, Supergraph, type Schema } from '@apollo/federation-internals';
import { QueryPlanner, type FetchNode, type PlanNode } from '@apollo/query-planner';
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
}

/** The supergraph's subgraphs, each with its URL (overrides applied by the caller). */
export type ServiceMapBuilder = (subgraphs: { name: string; url: string }[]) => ServiceMap;

export function buildSupergraphState(supergraphSdl: string, buildServiceMap: ServiceMapBuilder): SupergraphState {
  const supergraph = Supergraph.build(supergraphSdl);
  const apiSchema = supergraph.apiSchema();
  const schema = apiSchema.toGraphQLJSSchema();
  const planner = new QueryPlanner(supergraph);
  const subgraphs = supergraph.subgraphs().values().map(({ name, url }) => ({ name, url }));
  const serviceMap = buildServiceMap(subgraphs);
  // Clients subscribe with the same few operations again and again: planned once each (the
  // oldest of 1,000 distinct ones is forgotten first).
  const plansByKey = new Map<string, SubscriptionPlan>();
  return {
    schema,
    apiSchema,
    supergraphSchema: supergraph.schema.toGraphQLJSSchema(),
    serviceMap,
    subgraphUrls: Object.fromEntries(subgraphs.map(({ name, url }) => [name, url])),
    plan(document, source, operationName) {
      const key = `${operationName ?? ''}\n${source}`;
      const known = plansByKey.get(key);
      if (known) return known;
      const plan = planner.buildQueryPlan(operationFromDocument(apiSchema, document, { operationName }));
      if (plan.node?.kind !== 'Subscription') throw new Error('not a subscription plan');
      const planned = { primary: plan.node.primary, rest: plan.node.rest, operationContext: buildOperationContext({ schema, operationDocument: document, operationName }) };
      if (plansByKey.size >= 1_000) plansByKey.delete(plansByKey.keys().next().value!);
      plansByKey.set(key, planned);
      return planned;
    },
  };
}
