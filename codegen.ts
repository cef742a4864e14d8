import { readFileSync } from 'node:fs';
import type { CodegenConfig } from '@graphql-codegen/cli';
import { SUBGRAPHS, type SubgraphEntry } from './lib/subgraphs.js';

/**
 * Resolver types for each subgraph, generated from its schema.graphql (npm run codegen): the SDL
 * is the source of truth and the resolvers are checked against it. Mappers tie each GraphQL type
 * to what the resolvers actually return (the MikroORM entity types).
 */
const common = {
  plugins: ['typescript', 'typescript-resolvers'],
  config: {
    federation: true,
    useTypeImports: true,
    enumsAsTypes: true,
    useIndexSignature: true,
    // The entity types share the GraphQL types' names; imported as ProductModel, OrderModel, ...
    mapperTypeSuffix: 'Model',
    scalars: { DateTime: 'Date | string', Decimal: 'string', ID: 'string' },
  },
};

/** Each subgraph's resolver types; its subgraphs/<name>/codegen.json names its context type and
 *  the mappers from its GraphQL types to what its resolvers return. */
function subgraph({ name, sdlPath }: SubgraphEntry) {
  const { context, mappers } = JSON.parse(readFileSync(`subgraphs/${name}/codegen.json`, 'utf8')) as { context: string; mappers: Record<string, string> };
  return {
    [`subgraphs/${name}/src/generated/resolvers.ts`]: {
      schema: [sdlPath, 'schema/codegen/federation-directives.graphql'],
      ...common,
      config: { ...common.config, contextType: `../context.js#${context}`, mappers },
    },
  };
}

/** The order saga's calls to a peer subgraph, typed from that peer's SDL: a peer change that
 *  breaks them fails codegen (an operation that no longer validates) or leaves these files stale,
 *  and schema:check fails either way. */
function sagaCalls(peer: string) {
  return {
    [`subgraphs/order/src/generated/${peer}-operations.ts`]: {
      schema: [`subgraphs/${peer}/schema.graphql`, 'schema/codegen/federation-directives.graphql'],
      documents: `subgraphs/order/src/saga/operations/${peer}.graphql`,
      plugins: ['typescript-operations', 'typed-document-node'],
      config: {
        documentMode: 'string',
        enumsAsTypes: true,
        useTypeImports: true,
        skipTypename: true,
        scalars: common.config.scalars,
        avoidOptionals: { field: true, inputValue: false },
      },
    },
  };
}

const config: CodegenConfig = {
  overwrite: true,
  generates: {
    ...Object.assign({}, ...SUBGRAPHS.map(subgraph)),
    ...sagaCalls('product'),
    ...sagaCalls('payment'),
    ...sagaCalls('shipping'),
  },
};

export default config;
