import {
  Kind,
  valueFromAST,
  GraphQLBoolean,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * The operation as the deferred executor works with it: fragment spreads inlined, every @defer
 * that is on (its `if` evaluated with the request's variables) labelled, every one that is off
 * removed. Labels the client did not give are ours (`__defer_<n>`) and never reach it.
 */
export interface DeferredOperation {
  operation: OperationDefinitionNode;
  /** Our label of each active @defer, with the label the client gave it (undefined if none). */
  clientLabels: Map<string, string | undefined>;
  /** Which of the document's @defer are on, one character each: the same text plans differently
   *  when an `if` variable changes. */
  switches: string;
}

const OUR_LABEL = '__defer_';
/** Stands in for a selection set that lost every selection to its deferred fragments, so the
 *  document stays valid; its value is taken out of the data again (withoutPlaceholders). */
export const PLACEHOLDER = '__deferPlaceholder';

const name = (value: string) => ({ kind: Kind.NAME, value }) as const;
const placeholder: FieldNode = { kind: Kind.FIELD, alias: name(PLACEHOLDER), name: name('__typename') };
const isDefer = (directive: DirectiveNode) => directive.name.value === 'defer';
const deferOf = (selection: SelectionNode) => (selection.kind === Kind.INLINE_FRAGMENT ? selection.directives?.find(isDefer) : undefined);
const labelOf = (selection: SelectionNode): string | undefined => {
  const label = deferOf(selection)?.arguments?.find((argument) => argument.name.value === 'label')?.value;
  return label?.kind === Kind.STRING ? label.value : undefined;
};

/** The operation with spreads inlined and @defer resolved; null when no @defer is on, so the
 *  request is an ordinary one. */
export function resolveDefers(document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): DeferredOperation | null {
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as [string, FragmentDefinitionNode]] : [])));
  const defaults = Object.fromEntries((operation.variableDefinitions ?? []).map((d) => [d.variable.name.value, d.defaultValue]));
  const deferIsOn = (directive: DirectiveNode): boolean => {
    const condition = directive.arguments?.find((argument) => argument.name.value === 'if')?.value;
    if (!condition) return true;
    if (condition.kind !== Kind.VARIABLE) return valueFromAST(condition, GraphQLBoolean) !== false;
    const variable = condition.name.value;
    if (variable in variables) return variables[variable] !== false;
    const fallback = defaults[variable];
    return fallback ? valueFromAST(fallback, GraphQLBoolean) !== false : true;
  };
  const clientLabels = new Map<string, string | undefined>();
  let switches = '';
  const resolveDirectives = (directives: readonly DirectiveNode[] | undefined): DirectiveNode[] =>
    (directives ?? []).flatMap((directive) => {
      if (!isDefer(directive)) return [directive];
      const on = deferIsOn(directive);
      switches += on ? '1' : '0';
      if (!on) return [];
      const given = directive.arguments?.find((argument) => argument.name.value === 'label')?.value;
      const label = `${OUR_LABEL}${clientLabels.size}`;
      clientLabels.set(label, given?.kind === Kind.STRING ? given.value : undefined);
      return [{ kind: Kind.DIRECTIVE, name: name('defer'), arguments: [{ kind: Kind.ARGUMENT, name: name('label'), value: { kind: Kind.STRING, value: label } }] }];
    });
  const resolveSet = (set: SelectionSetNode): SelectionSetNode => ({ ...set, selections: set.selections.map(resolveSelection) });
  const resolveSelection = (selection: SelectionNode): SelectionNode => {
    if (selection.kind === Kind.FIELD) return selection.selectionSet ? { ...selection, selectionSet: resolveSet(selection.selectionSet) } : selection;
    if (selection.kind === Kind.INLINE_FRAGMENT) return { ...selection, directives: resolveDirectives(selection.directives), selectionSet: resolveSet(selection.selectionSet) };
    const fragment = fragments.get(selection.name.value)!;
    return {
      kind: Kind.INLINE_FRAGMENT,
      typeCondition: fragment.typeCondition,
      directives: resolveDirectives(selection.directives),
      selectionSet: resolveSet(fragment.selectionSet),
    };
  };
  const resolved = { ...operation, selectionSet: resolveSet(operation.selectionSet) };
  return clientLabels.size > 0 ? { operation: resolved, clientLabels, switches } : null;
}

function keepNonEmpty(selections: SelectionNode[]): SelectionNode[] {
  return selections.length > 0 ? selections : [placeholder];
}

/** What a part selects, deferred fragments within it left out: they are parts of their own. */
function withoutDeferred(set: SelectionSetNode): SelectionSetNode {
  const selections = set.selections.flatMap((selection): SelectionNode[] => {
    if (deferOf(selection)) return [];
    if (selection.kind === Kind.FRAGMENT_SPREAD || !selection.selectionSet) return [selection];
    return [{ ...selection, selectionSet: withoutDeferred(selection.selectionSet) }];
  });
  return { ...set, selections: keepNonEmpty(selections) };
}

/** The initial part's selection: everything not deferred. */
export function initialDocument(deferred: DeferredOperation): DocumentNode {
  return documentOf({ ...deferred.operation, selectionSet: withoutDeferred(deferred.operation.selectionSet) });
}

/**
 * The selection of one deferred fragment as a whole operation: the fields leading to it (and
 * nothing else of them) and, at its place, its own fields without its nested deferred fragments.
 * Shaping the fetched data by it gives that part's data at its path. Also returns the response
 * names of the fields on the way, the part's path before list indexes are filled in.
 */
export function deferredDocument(deferred: DeferredOperation, label: string): { document: DocumentNode; responsePath: string[] } {
  let responsePath: string[] = [];
  const onlyPathTo = (set: SelectionSetNode, path: string[]): SelectionSetNode | null => {
    const kept = set.selections.flatMap((selection): SelectionNode[] => {
      if (selection.kind === Kind.FRAGMENT_SPREAD) return [];
      if (labelOf(selection) === label) {
        responsePath = path;
        return [{ ...selection, directives: selection.directives?.filter((d) => !isDefer(d)), selectionSet: withoutDeferred(selection.selectionSet!) }];
      }
      if (!selection.selectionSet) return [];
      const fieldPath = selection.kind === Kind.FIELD ? [...path, (selection.alias ?? selection.name).value] : path;
      const inner = onlyPathTo(selection.selectionSet, fieldPath);
      if (!inner) return [];
      return selection.kind === Kind.FIELD ? [{ ...selection, selectionSet: inner }] : [{ ...selection, directives: selection.directives?.filter((d) => !isDefer(d)), selectionSet: inner }];
    });
    return kept.length > 0 ? { ...set, selections: kept } : null;
  };
  const selectionSet = onlyPathTo(deferred.operation.selectionSet, []);
  if (!selectionSet) throw new Error(`no deferred fragment labelled ${label}`);
  return { document: documentOf({ ...deferred.operation, selectionSet }), responsePath };
}

function documentOf(operation: OperationDefinitionNode): DocumentNode {
  return { kind: Kind.DOCUMENT, definitions: [operation] };
}

/** The data without the placeholders that kept emptied selection sets valid. */
export function withoutPlaceholders<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutPlaceholders) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).flatMap(([key, inner]) => (key === PLACEHOLDER ? [] : [[key, withoutPlaceholders(inner)]]))) as T;
}
