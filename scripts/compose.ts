import { readFileSync } from 'node:fs';
import { composeServices, type CompositionResult, type CompositionSuccess } from '@apollo/composition';
import { parse, printSchema, Source, type DocumentNode } from 'graphql';
import { sdlPathOf, SUBGRAPHS } from '../lib/subgraphs.js';

export { SUBGRAPHS, sdlPathOf as subgraphSdlPath } from '../lib/subgraphs.js';

/** Parses with the file's path as the source name, so composition errors point at file:line. */
export function parseSubgraphSdl(name: string, sdl: string): DocumentNode {
  return parse(new Source(sdl, sdlPathOf(name)));
}

/** Composes the given subgraph SDL texts (by subgraph name); subgraphs without one are left out. */
export function composeSdl(sdlByName: Readonly<Record<string, string>>): CompositionResult {
  return composeServices(
    SUBGRAPHS.filter(({ name }) => sdlByName[name] !== undefined).map(({ name, localUrl }) => ({
      name,
      url: localUrl,
      typeDefs: parseSubgraphSdl(name, sdlByName[name]!),
    })),
  );
}

export function composeSubgraphs(root: URL): CompositionResult {
  return composeSdl(
    Object.fromEntries(SUBGRAPHS.map(({ name }) => [name, readFileSync(new URL(sdlPathOf(name), root), 'utf8')])),
  );
}

/** What `npm run schema:compose` writes and the schema check expects to find committed:
 *  the supergraph the gateway loads and the API schema clients see (no @inaccessible
 *  elements, no federation internals). */
export function composedSchemaFiles(result: CompositionSuccess): { path: string; content: string }[] {
  return [
    { path: 'schema/supergraph.graphql', content: result.supergraphSdl },
    { path: 'schema/api.graphql', content: printSchema(result.schema.toAPISchema().toGraphQLJSSchema({ includeDefer: true })) + '\n' },
  ];
}
