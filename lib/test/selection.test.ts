import { Kind, parse, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { PAGE_FIELDS } from '../pagination.js';
import { selectsAny } from '../selection.js';

/** The resolve info of the document's first root field, as graphql-js hands it to a resolver. */
function infoOf(document: string) {
  const { definitions } = parse(document);
  const operation = definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(
    definitions.filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION).map((fragment) => [fragment.name.value, fragment]),
  );
  return { fieldNodes: [operation.selectionSet.selections[0] as FieldNode], fragments };
}

describe('selectsAny', () => {
  it.each([
    ['{ products { edges { cursor } } }', true],
    ['{ products { pageInfo { hasNextPage } totalCount } }', true],
    ['{ products { totalCount count { count } } }', false],
    ['{ products { ... on ProductConnection { edges { cursor } } } }', true],
    ['{ products { ...Page } } fragment Page on ProductConnection { ... on ProductConnection { pageInfo { endCursor } } }', true],
    ['{ products { ...Count } } fragment Count on ProductConnection { totalCount }', false],
    ['{ products { ...A } } fragment A on ProductConnection { ...B } fragment B on ProductConnection { ...A totalCount }', false],
    ['query($skip: Boolean!) { products { edges @skip(if: $skip) { cursor } } }', true],
    ['{ products { total: totalCount page: pageInfo { hasNextPage } } }', true],
  ])('%s: %s', (document, selected) => {
    expect(selectsAny(infoOf(document), PAGE_FIELDS)).toBe(selected);
  });
});
