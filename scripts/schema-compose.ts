import { writeFileSync } from 'node:fs';
import { composedSchemaFiles, composeSubgraphs } from './compose.js';

const root = new URL('../', import.meta.url);
const result = composeSubgraphs(root);
if (result.errors) {
  for (const error of result.errors) console.error(`${error.extensions?.code ?? 'ERROR'}: ${error.message}`);
  process.exit(1);
}
const files = composedSchemaFiles(result);
for (const { path, content } of files) writeFileSync(new URL(path, root), content);
// kustomize reads no file outside its directory: the supergraph ConfigMap's source is a copy.
writeFileSync(new URL('deploy/k8s/supergraph.graphql', root), result.supergraphSdl);
for (const hint of result.hints) console.warn(`hint ${hint.definition.code}: ${hint.message}`);
console.log(`wrote ${files.map(({ path }) => path).join(' and ')}`);
