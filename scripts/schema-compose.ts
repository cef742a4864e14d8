import { writeFileSync } from 'node:fs';
import { printSchema } from 'graphql';
import { composeSubgraphs } from './compose.js';

const root = new URL('../', import.meta.url);
const result = composeSubgraphs(root);
if (result.errors) {
  for (const error of result.errors) console.error(`${error.extensions?.code ?? 'ERROR'}: ${error.message}`);
  process.exit(1);
}
writeFileSync(new URL('schema/supergraph.graphql', root), result.supergraphSdl);
writeFileSync(new URL('schema/api.graphql', root), printSchema(result.schema.toAPISchema().toGraphQLJSSchema()) + '\n');
for (const hint of result.hints) console.warn(`hint ${hint.definition.code}: ${hint.message}`);
console.log('wrote schema/supergraph.graphql and schema/api.graphql');
