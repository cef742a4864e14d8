import {
  assert,
  ERRORS,
  isCompositeType,
  isListType,
  isNonNullType,
  isObjectType,
  isSubtype,
  isValidLeafValue,
  typenameFieldName,
  Variable,
  type CompositeType,
  type FieldSelection,
  type FragmentSelection,
  type Schema,
  type SelectionSet,
  type Type,
} from '@apollo/federation-internals';
// The module @apollo/gateway's executor calls computeResponse through (as
// `resultShaping_1.computeResponse(...)`, looked up at each call).
import apolloShaping from '@apollo/gateway/dist/resultShaping.js';
import type { GraphQLError } from 'graphql';

type Data = Record<string, any>;
type Path = (string | number)[];
export type ComputeResponse = typeof apolloShaping.computeResponse;

/** Apollo's own result shaping, kept for comparison (gateway/test/result-shaping.test.ts). */
export const apolloComputeResponse: ComputeResponse = apolloShaping.computeResponse;

const enum Kind {
  NonNull,
  List,
  Composite,
  Leaf,
}

/** How values of one type of the schema are walked, worked out once per type. */
type Shape = { kind: Kind.NonNull; of: Shape; ofType: Type } | { kind: Kind.List; of: Shape; type: Type } | { kind: Kind.Composite | Kind.Leaf; type: Type };

const shapes = new WeakMap<Type, Shape>();

function shapeOf(type: Type): Shape {
  let shape = shapes.get(type);
  if (!shape) {
    if (isNonNullType(type)) shape = { kind: Kind.NonNull, of: shapeOf(type.ofType), ofType: type.ofType };
    else if (isListType(type)) shape = { kind: Kind.List, of: shapeOf(type.ofType), type };
    else shape = { kind: isCompositeType(type) ? Kind.Composite : Kind.Leaf, type };
    shapes.set(type, shape);
  }
  return shape;
}

interface FieldEntry {
  field: true;
  selection: FieldSelection;
  responseName: string;
  introspection: boolean;
  typename: boolean;
  shape: Shape;
  child: SelectionSet | undefined;
  /** Whether @skip/@include leave it out, once first asked (the variables do not change). */
  skip?: boolean;
}

interface FragmentEntry {
  field: false;
  selection: FragmentSelection;
  condition: CompositeType | undefined;
  child: SelectionSet;
  skip?: boolean;
  /** Whether the type condition applies, by __typename (or parent type when there is none). */
  applies: Map<string, boolean>;
}

type Entry = FieldEntry | FragmentEntry;

const OK = 0;
const NULL_BUBBLE_UP = 1;

function ifValue(directive: { arguments(): { if?: unknown } }, variables: Data): boolean {
  const ifArg = directive.arguments().if;
  if (ifArg instanceof Variable) {
    const value = variables[ifArg.name];
    assert(value !== undefined && typeof value === 'boolean', () => `Unexpected value ${value} for variable ${ifArg} of ${directive}`);
    return value;
  }
  return ifArg as boolean;
}

function pathLastElementDescription(path: Path, currentType: Type, parentType: CompositeType): string {
  const element = path[path.length - 1];
  assert(element !== undefined, 'Should not have been called on an empty path');
  return typeof element === 'string' ? `field ${parentType}.${element}` : `array element of type ${currentType} at index ${element}`;
}

/**
 * One response's shaping: what Apollo's computeResponse (@apollo/gateway's resultShaping.js) does,
 * step for step and error for error, with the work it repeats for every value done once. Apollo's
 * looks up each selection's @skip and @include, its response name, its field's type and the kind
 * of that type again for every object of a list, through @apollo/federation-internals' re-export
 * getters: on the nested order page that was a sixth of the gateway's CPU. Here each selection set
 * is read once per response (into entries), each type of the schema once per process (shapes),
 * and each value's walk reports isInvalid and hasErrors in two fields instead of a new object.
 */
class Shaping {
  readonly errors: GraphQLError[] = [];
  private readonly compiled = new Map<SelectionSet, Entry[]>();
  /** Apollo's isInvalid and hasErrors for the value update() last returned. */
  private invalid = false;
  private failed = false;

  constructor(
    private readonly schema: Schema,
    private readonly variables: Data,
    private readonly introspectionHandling: (selection: FieldSelection) => unknown,
  ) {}

  private entries(selectionSet: SelectionSet): Entry[] {
    let entries = this.compiled.get(selectionSet);
    if (!entries) {
      entries = selectionSet.selections().map((selection): Entry => {
        if (selection.kind === 'FieldSelection') {
          const field = selection.element;
          return {
            field: true,
            selection,
            responseName: field.responseName(),
            introspection: field.definition.isSchemaIntrospectionField(),
            typename: field.name === typenameFieldName,
            shape: shapeOf(field.definition.type!),
            child: selection.selectionSet,
          };
        }
        return { field: false, selection, condition: selection.element.typeCondition, child: selection.selectionSet, applies: new Map() };
      });
      this.compiled.set(selectionSet, entries);
    }
    return entries;
  }

  private skipped(entry: Entry): boolean {
    if (entry.skip === undefined) {
      const { element } = entry.selection;
      const skip = element.appliedDirectivesOf(this.schema.skipDirective())[0];
      const include = element.appliedDirectivesOf(this.schema.includeDirective())[0];
      entry.skip = Boolean((skip && ifValue(skip, this.variables)) || (include && !ifValue(include, this.variables)));
    }
    return entry.skip;
  }

  private conditionApplies(entry: FragmentEntry, typename: string | undefined, parentType: CompositeType): boolean {
    const { condition } = entry;
    if (!condition) return true;
    const key = typename ? `t:${typename}` : `p:${parentType.name}`;
    let applies = entry.applies.get(key);
    if (applies === undefined) {
      if (typename) {
        const type = this.schema.type(typename);
        applies = !!type && isSubtype(condition, type);
      } else {
        applies = isSubtype(condition, parentType);
      }
      entry.applies.set(key, applies);
    }
    return applies;
  }

  apply(input: Data, selectionSet: SelectionSet, output: Data, path: Path, parentType: CompositeType): number {
    for (const entry of this.entries(selectionSet)) {
      if (this.skipped(entry)) continue;
      if (entry.field) {
        const { responseName } = entry;
        const outputValue = output[responseName];
        if (entry.introspection) {
          if (outputValue === undefined) output[responseName] = this.introspectionHandling(entry.selection);
          continue;
        }
        let inputValue = (Object.prototype.hasOwnProperty.call(input, responseName) ? input[responseName] : undefined) ?? null;
        if (entry.typename) {
          if (outputValue === undefined) {
            if (inputValue === null && responseName !== typenameFieldName) inputValue = input[typenameFieldName] ?? null;
            const type = inputValue !== null && typeof inputValue === 'string' ? (this.schema.type(inputValue) ?? parentType) : parentType;
            if (!isObjectType(type)) return NULL_BUBBLE_UP;
            output[responseName] = type.name;
          }
          continue;
        }
        path.push(responseName);
        output[responseName] = this.update(outputValue, entry.shape, inputValue, entry.child, path, parentType);
        path.pop();
        if (this.invalid) return NULL_BUBBLE_UP;
      } else {
        const typename = input[typenameFieldName];
        assert(!typename || typeof typename === 'string', () => `Got unexpected value for __typename: ${typename}`);
        if (this.conditionApplies(entry, typename, parentType)) {
          if (this.apply(input, entry.child, output, path, entry.condition ?? parentType) === NULL_BUBBLE_UP) return NULL_BUBBLE_UP;
        }
      }
    }
    return OK;
  }

  /** Apollo's updateOutputValue; its { updated, isInvalid, hasErrors } are the value returned,
   *  this.invalid and this.failed. */
  private update(outputValue: unknown, shape: Shape, inputValue: any, selectionSet: SelectionSet | undefined, path: Path, parentType: CompositeType): any {
    assert(inputValue !== undefined, 'Should not pass undefined for `inputValue` to this method');
    this.invalid = false;
    this.failed = false;
    if (outputValue === null || (outputValue !== undefined && !selectionSet)) return outputValue;
    if (shape.kind === Kind.NonNull) {
      const updated = this.update(outputValue, shape.of, inputValue, selectionSet, path, parentType);
      if (updated === null) {
        if (!this.failed) {
          this.errors.push(ERRORS.INVALID_GRAPHQL.err(`Cannot return null for non-nullable ${pathLastElementDescription(path, shape.ofType, parentType)}.`, { path: Array.from(path) }));
        }
        this.invalid = true;
        this.failed = true;
        return updated;
      }
      this.invalid = false;
      this.failed = false;
      return updated;
    }
    if (inputValue === null) return null;
    const { type } = shape;
    if (shape.kind === Kind.List) {
      assert(Array.isArray(inputValue), () => `Invalid non-list value ${inputValue} returned by subgraph for list type ${type}`);
      assert(outputValue === undefined || Array.isArray(outputValue), () => `Invalid non-list value ${outputValue} returned by subgraph for list type ${type}`);
      const outputList: unknown[] = outputValue === undefined ? new Array(inputValue.length).fill(undefined) : (outputValue as unknown[]);
      assert(inputValue.length === outputList.length, () => `[${inputValue}].length (${inputValue.length}) !== [${outputList}].length (${outputList.length})`);
      let nullify = false;
      let failed = false;
      const updated = outputList.map((element, index) => {
        path.push(index);
        const value = this.update(element, shape.of, inputValue[index], selectionSet, path, parentType);
        path.pop();
        nullify ||= this.invalid;
        failed ||= this.failed;
        return value;
      });
      this.invalid = false;
      this.failed = failed;
      return nullify ? null : updated;
    }
    if (shape.kind === Kind.Composite) {
      assert(selectionSet, () => `Invalid empty selection set for composite type ${type}`);
      assert(typeof inputValue === 'object', () => `Invalid non-object value ${inputValue} returned by subgraph for composite type ${type}`);
      assert(outputValue === undefined || typeof outputValue === 'object', () => `Invalid non-object value ${inputValue} returned by subgraph for composite type ${type}`);
      const inputTypename = inputValue[typenameFieldName];
      assert(inputTypename === undefined || typeof inputTypename === 'string', () => `Invalid non-string value ${inputTypename} for __typename at ${path}`);
      let objectType = type as CompositeType;
      if (inputTypename) {
        const typenameType = this.schema.type(inputTypename);
        if (!typenameType || !isCompositeType(typenameType)) {
          this.errors.push(ERRORS.INVALID_GRAPHQL.err(`Invalid __typename found for object at ${pathLastElementDescription(path, type, parentType)}.`, { path: Array.from(path) }));
          this.invalid = false;
          this.failed = true;
          return null;
        }
        objectType = typenameType;
      }
      const output = outputValue === undefined ? Object.create(null) : (outputValue as Data);
      const failed = this.apply(inputValue, selectionSet, output, path, objectType) === NULL_BUBBLE_UP;
      this.invalid = false;
      this.failed = failed;
      return failed ? null : output;
    }
    assert(outputValue === undefined, () => `Excepted output to be undefined but got ${type} for type ${type}`);
    const valid = isValidLeafValue(this.schema, inputValue, type as Parameters<typeof isValidLeafValue>[2]);
    if (!valid) this.errors.push(ERRORS.INVALID_GRAPHQL.err(`Invalid value found for ${pathLastElementDescription(path, type, parentType)}.`, { path: Array.from(path) }));
    this.invalid = false;
    this.failed = !valid;
    return valid ? inputValue : null;
  }
}

/** A drop-in for Apollo's computeResponse: the same answer and the same errors. */
export const computeResponse: ComputeResponse = ({ operation, variables, input, introspectionHandling }) => {
  if (!input) return { data: input, errors: [] };
  const schema = operation.schema();
  const shaping = new Shaping(schema, { __proto__: null, ...operation.collectDefaultedVariableValues(), ...variables }, introspectionHandling);
  const data = Object.create(null);
  const result = shaping.apply(input, operation.selectionSet, data, [], schema.schemaDefinition.rootType(operation.rootKind)!);
  return { data: result === NULL_BUBBLE_UP ? null : data, errors: shaping.errors };
};

/**
 * Has @apollo/gateway's executor (queries, subscription events and @defer parts alike) shape
 * results with computeResponse above. @apollo/gateway is pinned to one version (package.json) and
 * gateway/test/result-shaping.test.ts checks both give the same answers and errors on that version.
 */
export function useFastResultShaping(): void {
  (apolloShaping as { computeResponse: ComputeResponse }).computeResponse = computeResponse;
}

/** Puts Apollo's own back (for comparison in tests). */
export function useApolloResultShaping(): void {
  (apolloShaping as { computeResponse: ComputeResponse }).computeResponse = apolloComputeResponse;
}

