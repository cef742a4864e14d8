import { readFileSync } from 'node:fs';
import { composeServices, type CompositionResult, type CompositionSuccess } from '@apollo/composition';
import { parse, printSchema, Source, type DocumentNode } from 'graphql';

/** The subgraphs in the order the supergraph lists them, with the URLs `npm start` uses. */
export const SUBGRAPHS = [
  { name: 'product', url: 'http://localhost:4001/graphql' },
  { name: 'payment', url: 'http://localhost:4002/graphql' },
  { name: 'order', url: 'http://localhost:4003/graphql' },
] as const;

export const subgraphSdlPath = (name: string) => `subgraphs/${name}/schema.graphql`;

/** Parses with the file's path as the source name, so composition errors point at file:line. */
export function parseSubgraphSdl(name: string, sdl: string): DocumentNode {
  return parse(new Source(sdl, subgraphSdlPath(name)));
}

/** Composes the given subgraph SDL texts (by subgraph name); subgraphs without one are left out. */
export function composeSdl(sdlByName: Readonly<Record<string, string>>): CompositionResult {
  return composeServices(
    SUBGRAPHS.filter(({ name }) => sdlByName[name] !== undefined).map(({ name, url }) => ({
      name,
      url,
      typeDefs: parseSubgraphSdl(name, sdlByName[name]!),
    })),
  );
}

export function composeSubgraphs(root: URL): CompositionResult {
  return composeSdl(
    Object.fromEntries(SUBGRAPHS.map(({ name }) => [name, readFileSync(new URL(subgraphSdlPath(name), root), 'utf8')])),
  );
}

/** What `npm run schema:compose` writes and the schema check expects to find committed:
 *  the supergraph the gateway loads and the API schema clients see (no @inaccessible
 *  elements, no federation internals). */
export function composedSchemaFiles(result: CompositionSuccess): { path: string; content: string }[] {
  return [
    { path: 'schema/supergraph.graphql', content: result.supergraphSdl },
    { path: 'schema/api.graphql', content: printSchema(result.schema.toAPISchema().toGraphQLJSSchema()) + '\n' },
  ];
}
