import { readFileSync } from 'node:fs';
import { parse, type DocumentNode } from 'graphql';

/** Reads a subgraph's schema.graphql: the SDL file is the source of truth, not code. */
export function loadSdl(schemaFile: URL): DocumentNode {
  return parse(readFileSync(schemaFile, 'utf8'));
}
