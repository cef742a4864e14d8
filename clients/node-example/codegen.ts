import type { CodegenConfig } from '@graphql-codegen/cli';

/** Types for this example's operations, from the schema clients see (run: npm run codegen).
 *  documentMode "string": each operation is its text, typed with its result and variables. */
const config: CodegenConfig = {
  schema: '../../schema/api.graphql',
  documents: 'operations/*.graphql',
  generates: {
    'generated/graphql.ts': {
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
