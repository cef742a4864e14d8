import { buildSchema, isCompositeType, isListType, isNonNullType, operationFromDocument, possibleRuntimeTypes, type SelectionSet, type Type } from '@apollo/federation-internals';
import { parse } from 'graphql';
import apolloShaping from '@apollo/gateway/dist/resultShaping.js';
import { apolloComputeResponse, computeResponse, useFastResultShaping } from '../src/result-shaping.js';

/** A schema with every kind of type Apollo's result shaping walks differently. */
const schema = buildSchema(`
  type Query {
    order(id: ID!): Order
    orders: [Order!]!
    search: [SearchResult]
    node: Node
    matrix: [[Int!]]
    me: Customer!
  }
  interface Node { id: ID! }
  union SearchResult = Product | Order
  enum Status { PENDING PAID CANCELLED }
  scalar Money
  type Order implements Node { id: ID! status: Status! total: Money lines: [Line!]! customer: Customer count: Int rate: Float open: Boolean }
  type Line { quantity: Int! product: Product! note: String }
  type Product implements Node { id: ID! name: String! price: Float tags: [String!] }
  type Customer implements Node { id: ID! email: String! vip: Boolean! }
`);

const OPERATIONS: { query: string; variables?: Record<string, unknown> }[] = [
  { query: '{ orders { id status total lines { quantity product { id name price tags } } } }' },
  { query: '{ o: order(id: "1") { ident: id kind: __typename status customer { email vip } } me { id } }' },
  { query: 'query ($skip: Boolean!, $with: Boolean = true) { orders { id count @skip(if: $skip) rate @include(if: $with) lines @include(if: $skip) { note } } }', variables: { skip: false } },
  { query: 'query ($skip: Boolean!) { orders { id count @skip(if: $skip) lines { product @skip(if: true) { id } quantity } } }', variables: { skip: true } },
  { query: '{ search { __typename ... on Product { id name } ... on Order { id status lines { quantity } } } }' },
  { query: '{ node { id ...N ... on Customer { email } } } fragment N on Node { __typename ... on Order { open status } }' },
  { query: '{ matrix search { ... on Node { id } ... on Product { tags } } }' },
  { query: '{ me { id email } orders { id ... on Order { customer { vip } } } __typename __schema { queryType { name } } }' },
];

/** A small seeded generator, so a failure can be run again. */
function random(seed: number) {
  let state = seed;
  const next = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  return { next, pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!, chance: (p: number) => next() < p };
}

type Random = ReturnType<typeof random>;

/**
 * Data as a subgraph might send it for a selection: mostly right, sometimes null where it may not
 * be, a field missing, a leaf of the wrong kind, an unknown or a missing __typename.
 */
function dataFor(selectionSet: SelectionSet, typeName: string, r: Random): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  if (r.chance(0.8)) object.__typename = r.chance(0.05) ? 'Nonsense' : typeName;
  for (const selection of selectionSet.selections()) {
    if (selection.kind === 'FragmentSelection') {
      Object.assign(object, dataFor(selection.selectionSet, typeName, r));
      continue;
    }
    const field = selection.element;
    if (field.name === '__typename' || field.definition.isSchemaIntrospectionField()) continue;
    if (r.chance(0.03)) continue;
    object[field.responseName()] = valueFor(field.definition.type!, selection.selectionSet, r);
  }
  return object;
}

function valueFor(type: Type, selectionSet: SelectionSet | undefined, r: Random): unknown {
  if (r.chance(0.04)) return null;
  if (isNonNullType(type)) return valueFor(type.ofType, selectionSet, r);
  if (isListType(type)) return Array.from({ length: Math.floor(r.next() * 4) }, () => valueFor(type.ofType, selectionSet, r));
  if (isCompositeType(type)) return dataFor(selectionSet!, r.pick(possibleRuntimeTypes(type)).name, r);
  if (r.chance(0.03)) return r.pick([true, 1.5, 'text', 7, {}]);
  switch (type.name) {
    case 'Int':
      return Math.floor(r.next() * 10);
    case 'Float':
      return r.next() * 10;
    case 'Boolean':
      return r.chance(0.5);
    case 'Status':
      return r.pick(['PENDING', 'PAID', 'CANCELLED', 'LOST']);
    case 'Money':
      return r.pick(['12.50', 3, { amount: 1 }]);
    default:
      return `s${Math.floor(r.next() * 100)}`;
  }
}

const introspectionHandling = (selection: { element: { responseName(): string } }) => ({ introspected: selection.element.responseName() });

/** What a client gets: the data as JSON, and each error's message, path and code. */
function outcome(shape: typeof computeResponse, args: Parameters<typeof computeResponse>[0]) {
  try {
    const { data, errors } = shape(args);
    return { data: JSON.stringify(data), errors: errors.map((error) => ({ message: error.message, path: error.path, code: error.extensions.code })) };
  } catch (error) {
    return { thrown: String(error) };
  }
}

describe('the gateway\'s result shaping', () => {
  it('gives the answer and the errors Apollo\'s computeResponse gives, on varied and broken subgraph data', () => {
    let compared = 0;
    let withErrors = 0;
    for (const [index, { query, variables }] of OPERATIONS.entries()) {
      const operation = operationFromDocument(schema, parse(query), { validate: true });
      for (let seed = 1; seed <= 300; seed += 1) {
        const input = dataFor(operation.selectionSet, 'Query', random(seed * 31 + index));
        const args = { operation, variables, input, introspectionHandling };
        const theirs = outcome(apolloComputeResponse, { ...args, input: structuredClone(input) });
        expect({ query, seed, ...outcome(computeResponse, { ...args, input: structuredClone(input) }) }).toEqual({ query, seed, ...theirs });
        compared += 1;
        if ('errors' in theirs && theirs.errors!.length > 0) withErrors += 1;
      }
    }
    // The generator is meant to break things often: most cases carry shaping errors, some none.
    expect(withErrors).toBeGreaterThan(compared / 4);
    expect(withErrors).toBeLessThan(compared);
  });

  it('refuses a @skip variable that is not a boolean, as Apollo\'s does', () => {
    const operation = operationFromDocument(schema, parse('query ($s: Boolean) { me { id @skip(if: $s) } }'), { validate: true });
    const args = { operation, variables: {}, input: { me: { id: '1' } }, introspectionHandling };
    expect(outcome(computeResponse, args)).toEqual(outcome(apolloComputeResponse, args));
    expect(outcome(computeResponse, args)).toHaveProperty('thrown');
  });

  it('is what @apollo/gateway\'s executor calls once the gateway uses it', () => {
    useFastResultShaping();
    expect(apolloShaping.computeResponse).toBe(computeResponse);
  });
});
