import type { CodegenConfig } from '@graphql-codegen/cli';

/** Types for the storefront's operations, from the schema clients see (run: npm run codegen).
 *  documentMode "string" keeps each operation as its text: the browser sends it (or its APQ
 *  hash) as is, with no GraphQL parser in the bundle. */
const config: CodegenConfig = {
  schema: '../../schema/api.graphql',
  documents: 'src/operations/*.graphql',
  generates: {
    'src/generated/graphql.ts': {
      plugins: ['typescript-operations', 'typed-document-node'],
      config: {
        documentMode: 'string',
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { DateTime: 'string', Decimal: 'string', ID: 'string' },
        avoidOptionals: { field: true, inputValue: false },
      },
    },
  },
};

export default config;
