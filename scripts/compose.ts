import { readFileSync } from 'node:fs';
import { composeServices, type CompositionResult } from '@apollo/composition';
import { parse } from 'graphql';

/** The subgraphs in the order the supergraph lists them, with the URLs `npm start` uses. */
export const SUBGRAPHS = [
  { name: 'product', url: 'http://localhost:4001/graphql' },
  { name: 'payment', url: 'http://localhost:4002/graphql' },
  { name: 'order', url: 'http://localhost:4003/graphql' },
] as const;

export function composeSubgraphs(root: URL): CompositionResult {
  return composeServices(
    SUBGRAPHS.map(({ name, url }) => ({
      name,
      url,
      typeDefs: parse(readFileSync(new URL(`subgraphs/${name}/schema.graphql`, root), 'utf8')),
    })),
  );
}
