import { buildOperationContext, type ServiceMap } from '@apollo/gateway';
import { operationFromDocument, Supergraph, type Schema } from '@apollo/federation-internals';
import { QueryPlanner, type FetchNode, type PlanNode, type QueryPlan } from '@apollo/query-planner';
import { parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';

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
  /** The document parsed and validated against `schema`, or why it is not valid. */
  document(source: string): { document: DocumentNode } | { parseError: string } | { validationError: string };
  plan(document: DocumentNode, source: string, operationName: string | undefined): SubscriptionPlan;
  /** A query's or mutation's plan with @defer planned (DeferNodes), for incremental delivery. */
  planIncremental(document: DocumentNode, source: string, operationName: string | undefined): QueryPlan;
}

/** At most this many distinct operations (parsed documents, plans) are kept; the oldest goes first. */
const KEPT_OPERATIONS = 1_000;

function remember<T>(kept: Map<string, T>, key: string, value: T): T {
  if (kept.size >= KEPT_OPERATIONS) kept.delete(kept.keys().next().value!);
  kept.set(key, value);
  return value;
}

/** Clients send the same few operations again and again (a thousand order pages, one query):
 *  each planned once. */
function remembered<T>(build: (document: DocumentNode, operationName: string | undefined) => T) {
  const byKey = new Map<string, T>();
  return (document: DocumentNode, source: string, operationName: string | undefined): T => {
    const key = `${operationName ?? ''}\n${source}`;
    return byKey.get(key) ?? remember(byKey, key, build(document, operationName));
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
  // Parsed and validated once per operation, and one document shared by every subscription to
  // it instead of a parse (and its lexer tokens) kept per subscription.
  const documents = new Map<string, ReturnType<SupergraphState['document']>>();
  return {
    schema,
    apiSchema,
    supergraphSchema: supergraph.schema.toGraphQLJSSchema(),
    serviceMap,
    subgraphUrls: Object.fromEntries(subgraphs.map(({ name, url }) => [name, url])),
    document(source) {
      const known = documents.get(source);
      if (known) return known;
      let document: DocumentNode;
      try {
        document = parse(source, { noLocation: true });
      } catch (error) {
        // Not kept: a client that sends garbage must not push good operations out.
        return { parseError: (error as Error).message };
      }
      const [invalid] = validate(schema, document);
      return remember(documents, source, invalid ? { validationError: invalid.message } : { document });
    },
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
