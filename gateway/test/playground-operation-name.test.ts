import { operationNameFor } from '../playground/operation-name.js';

describe("the playground's operationName", () => {
  it.each([
    ['an anonymous operation, whatever GraphiQL still holds', '{ products(first: 1) { totalCount } }', 'BrowseProducts', undefined],
    ['a single named operation, by its own name', 'query Mine { myOrders { totalCount } }', 'BrowseProducts', 'Mine'],
    ['a single operation beside fragments', 'query Mine { myOrders { ...Count } } fragment Count on OrderConnection { totalCount }', null, 'Mine'],
    ["GraphiQL's choice among several, when the document defines it", 'query A { __typename } query B { __typename }', 'B', 'B'],
    ['none among several when GraphiQL holds a name the document lacks', 'query A { __typename } query B { __typename }', 'BrowseProducts', undefined],
    ["GraphiQL's choice for a document that does not parse", '{ products(', 'BrowseProducts', 'BrowseProducts'],
  ])('%s', (_case, query, chosen, sent) => {
    expect(operationNameFor(query, chosen)).toBe(sent);
  });
});
