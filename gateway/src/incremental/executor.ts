import { buildOperationContext, executeQueryPlan, type GraphQLDataSource, type ServiceMap } from '@apollo/gateway';
import type { DeferredNode, FetchNode, PlanNode, QueryPlan } from '@apollo/query-planner';
import { OperationTypeNode, type DocumentNode, type GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { ErrorFormatter } from '../../../lib/errors.js';
import type { Logger } from '../../../lib/log.js';
import { createPushStream, type PushStream } from '../../../lib/push-stream.js';
import type { ForwardingContext } from '../data-source.js';
import type { SupergraphState } from '../subscriptions/supergraph-state.js';
import { deferredDocument, initialDocument, withoutPlaceholders, type DeferredOperation } from './document.js';

type Path = (string | number)[];
type Data = Record<string, unknown>;

export interface IncrementalPart {
  data: Data | null;
  path: Path;
  label?: string;
  errors?: GraphQLFormattedError[];
}

/** One payload of the deferSpec=20220824 wire format: the initial one, then the incremental ones. */
export interface IncrementalPayload {
  data?: Data | null;
  errors?: GraphQLFormattedError[];
  incremental?: IncrementalPart[];
  hasNext: boolean;
}

export interface IncrementalRequest {
  query: string;
  variables: Record<string, unknown>;
  operationName: string | undefined;
  deferred: DeferredOperation;
  context: ForwardingContext;
  logger: Logger;
}

/** The name of the fetch that hands a run what earlier runs of the same request fetched. */
const FETCHED_SO_FAR = '__fetched_so_far__';

/**
 * Runs a plan with DeferNodes, which @apollo/gateway's executeQueryPlan refuses. Each part is one
 * run of Apollo's executeQueryPlan: first the DeferNode's primary, then each deferred sub-plan
 * once its parent part has been sent (nested DeferNodes the same way, one level down), all of them
 * at once where independent. Runs share one tree of fetched data: a fetch at the root of a run is
 * merged into it, and every run starts with a fetch that answers that tree, so a sub-plan's entity
 * fetches (Flatten paths, representations, merging) find the keys the primary fetched, exactly as
 * inside one executeQueryPlan. Each run shapes its result by its own part's selection (document.ts),
 * so null handling and result shaping are Apollo's too. A deferred fragment inside a list gives one
 * part per item path. A run's errors go with its parts; a failed run does not stop the others.
 */
export function executeIncrementally(plan: QueryPlan, request: IncrementalRequest, state: SupergraphState, formatError: ErrorFormatter): PushStream<IncrementalPayload> {
  const root = plan.node;
  if (root?.kind !== 'Defer') throw new Error('not a plan with deferred parts');
  let cancelled = false;
  const channel = createPushStream<IncrementalPayload>(() => (cancelled = true), { maxQueued: Number.POSITIVE_INFINITY });
  const fetched: Data = Object.create(null);
  const services: ServiceMap = { [FETCHED_SO_FAR]: { process: async () => ({ data: fetched }) } };
  for (const [name, source] of Object.entries(state.serviceMap)) services[name] = mergingRootFetches(source, fetched);
  const requestContext = { request: { query: request.query, variables: request.variables, operationName: request.operationName }, context: request.context, logger: request.logger, metrics: {} };
  const format = (errors: readonly GraphQLError[] | undefined) => (errors ?? []).map((error) => formatError(error.toJSON(), error));

  const run = async (node: PlanNode | undefined, document: DocumentNode) => {
    const seed: FetchNode = { kind: 'Fetch', serviceName: FETCHED_SO_FAR, variableUsages: [], operation: '{__typename}', operationName: undefined, operationKind: OperationTypeNode.QUERY };
    const queryPlan: QueryPlan = { kind: 'QueryPlan', node: node ? { kind: 'Sequence', nodes: [seed, node] } : seed };
    const operationContext = buildOperationContext({ schema: state.schema, operationDocument: document, operationName: request.operationName });
    const result = await executeQueryPlan(queryPlan, services, requestContext as never, operationContext, state.supergraphSchema, state.apiSchema);
    return { data: withoutPlaceholders((result.data ?? null) as Data | null), errors: format(result.errors) };
  };

  // What the client holds so far: where each deferred fragment's parts go is read from it.
  let view: Data = {};
  let pending = root.deferred.length;
  const send = (payload: IncrementalPayload) => {
    if (!cancelled) channel.push(payload);
  };

  const runDeferred = async (deferred: DeferredNode): Promise<void> => {
    const nested = deferred.node?.kind === 'Defer' ? deferred.node : undefined;
    const label = deferred.label!;
    const { document, responsePath } = deferredDocument(request.deferred, label);
    let children: DeferredNode[] = nested?.deferred ?? [];
    let parts: IncrementalPart[];
    try {
      const { data, errors } = await run(nested ? nested.primary.node : deferred.node, document);
      const clientLabel = request.deferred.clientLabels.get(label);
      parts = pathsIn(view, responsePath).map((path) => ({ data: (at(data, path) as Data | undefined) ?? null, path, ...(clientLabel !== undefined ? { label: clientLabel } : {}) }));
      assignErrors(parts, errors);
    } catch (error) {
      request.logger.error({ err: error }, 'a deferred part could not be resolved');
      const masked = formatError({ message: 'Internal server error' }, error);
      parts = pathsIn(view, responsePath).map((path) => ({ data: null, path, errors: [masked] }));
      children = [];
    }
    for (const part of parts) if (part.data) mergeAt(view, part.path, part.data);
    pending += children.length - 1;
    send({ incremental: parts, hasNext: pending > 0 });
    await Promise.all(children.map(runDeferred));
  };

  void (async () => {
    try {
      const initial = await run(root.primary.node, initialDocument(request.deferred));
      view = structuredClone(initial.data ?? {});
      send({ data: initial.data, ...(initial.errors.length > 0 ? { errors: initial.errors } : {}), hasNext: pending > 0 });
      await Promise.all(root.deferred.map(runDeferred));
      channel.end();
    } catch (error) {
      channel.end(error);
    }
  })();
  return channel;
}

/** A subgraph's data source that also merges what a fetch at the root of a run brings into the
 *  request's tree (entity fetches are merged into it by Apollo, in place, as the tree is theirs). */
function mergingRootFetches(source: GraphQLDataSource, fetched: Data): GraphQLDataSource {
  return {
    async process(options) {
      const response = await source.process(options);
      const atRoot = 'pathInIncomingRequest' in options && options.pathInIncomingRequest?.length === 0;
      if (atRoot && response.data) mergeInto(fetched, response.data);
      return response;
    },
  };
}

/** Every concrete path of a fragment: each list on the way fans out by index; nulls end a branch. */
function pathsIn(data: unknown, responsePath: string[]): Path[] {
  let found: { path: Path; value: unknown }[] = [{ path: [], value: data }];
  const expand = (entry: { path: Path; value: unknown }): { path: Path; value: unknown }[] =>
    Array.isArray(entry.value) ? entry.value.flatMap((item, index) => expand({ path: [...entry.path, index], value: item })) : entry.value == null ? [] : [entry];
  for (const key of responsePath) {
    found = found.flatMap(({ path, value }) => expand({ path: [...path, key], value: (value as Data)[key] }));
  }
  return found.flatMap((entry) => expand(entry)).map(({ path }) => path);
}

function at(data: unknown, path: Path): unknown {
  return path.reduce<unknown>((value, key) => (value == null ? undefined : (value as Record<string | number, unknown>)[key]), data);
}

/** Each error goes to the part it lies under. One with no path (a subgraph that did not answer
 *  at all) lies under all of them: it goes to each, with that part's path. */
function assignErrors(parts: IncrementalPart[], errors: GraphQLFormattedError[]): void {
  for (const error of errors) {
    if (error.path === undefined) {
      for (const part of parts) (part.errors ??= []).push({ ...error, path: part.path });
      continue;
    }
    const owner = parts.find((part) => part.path.every((key, index) => error.path![index] === key)) ?? parts[0];
    if (owner) (owner.errors ??= []).push(error);
  }
}

function mergeAt(view: Data, path: Path, data: Data): void {
  const target = at(view, path);
  if (target && typeof target === 'object') mergeInto(target as Data, structuredClone(data));
}

/** Apollo's deepMerge rule: what the target lacks is taken by reference, objects merge key by key. */
function mergeInto(target: Data, source: Data): void {
  for (const [key, value] of Object.entries(source)) {
    if (value === undefined) continue;
    const existing = target[key];
    if (existing && typeof existing === 'object' && value && typeof value === 'object') {
      if (Array.isArray(existing) && Array.isArray(value)) {
        if (existing.length === value.length) value.forEach((item, index) => (item && typeof item === 'object' && existing[index] && typeof existing[index] === 'object' ? mergeInto(existing[index], item) : (existing[index] = item)));
        else target[key] = value;
      } else mergeInto(existing as Data, value as Data);
    } else target[key] = value;
  }
}
