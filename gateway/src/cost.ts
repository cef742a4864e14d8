import {
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  valueFromAST,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { MAX_PAGE_SIZE } from '../../lib/pagination.js';

/** What one item of a list without a `first` argument (an order's lines, say) is assumed to cost. */
const ASSUMED_LIST_SIZE = 10;

/**
 * Estimates what an operation costs the subgraphs before it runs, like Apollo Router's demand
 * control: every field costs 1, and a list multiplies what is selected under it by its size,
 * taken from `first` (capped at 100 like the subgraphs cap it) or assumed for unbounded lists.
 * Static limits on depth and aliases miss a shallow query that asks for 100 × 100 × 100 items;
 * this does not.
 */
export function estimateCost(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown> = {}): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const root = schema.getRootType(operation.operation);
  if (!root) return 0;

  /** `pageSize` is the `first` of the field above, which sizes the list directly beneath it (a connection's edges). */
  const costOf = (selectionSet: SelectionSetNode, parent: GraphQLOutputType, seen: Set<string>, pageSize: number | null): number => {
    const type = getNamedType(parent);
    if (!isObjectType(type) && !isInterfaceType(type)) return 0;
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        // A fragment that spreads itself is refused by validation; never loop here.
        if (!fragment || seen.has(fragment.name.value)) continue;
        const condition = schema.getType(fragment.typeCondition.name.value);
        total += costOf(fragment.selectionSet, (condition as GraphQLOutputType) ?? parent, new Set([...seen, fragment.name.value]), pageSize);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        total += costOf(selection.selectionSet, (condition as GraphQLOutputType) ?? parent, seen, pageSize);
      } else {
        const field: GraphQLField<unknown, unknown> | undefined = type.getFields()[selection.name.value];
        if (!field) continue;
        const first = field.args.find((arg) => arg.name === 'first');
        let childPage: number | null = null;
        if (first) {
          const node = selection.arguments?.find((arg) => arg.name.value === 'first');
          const asked = node ? valueFromAST(node.value, first.type, variables) : first.defaultValue;
          childPage = typeof asked === 'number' && Number.isFinite(asked) ? Math.min(Math.max(asked, 0), MAX_PAGE_SIZE) : MAX_PAGE_SIZE;
        }
        const items = isListType(getNullableType(field.type)) ? (pageSize ?? ASSUMED_LIST_SIZE) : 1;
        const children = selection.selectionSet ? costOf(selection.selectionSet, field.type, seen, childPage) : 0;
        total += 1 + items * children;
      }
    }
    return total;
  };
  return costOf(operation.selectionSet, root, new Set(), null);
}
