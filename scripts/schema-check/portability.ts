import { composeServices, compositionHasErrors } from '@theguild/federation-composition';
import { Kind, type DirectiveNode, type DocumentNode, type GraphQLError, type TypeNode } from 'graphql';
import { parseSubgraphSdl, SUBGRAPHS } from '../compose.js';
import type { Finding } from './report.js';

/**
 * Checks that make the subgraphs compose on routers other than the Apollo gateway we run:
 * The Guild's composer (Hive Gateway, Hive Router, Cosmo use it or its rules) and Grafbase's
 * rule on @inaccessible types, which Apollo's composer does not enforce.
 */
export function checkPortability(sdlByName: Readonly<Record<string, string>>): Finding[] {
  const documents = Object.entries(sdlByName).map(([name, sdl]) => ({ name, document: parseSubgraphSdl(name, sdl) }));
  return [...theGuildComposition(documents), ...inaccessibleTypeFindings(documents)];
}

function theGuildComposition(documents: { name: string; document: DocumentNode }[]): Finding[] {
  const result = composeServices(
    SUBGRAPHS.flatMap(({ name, localUrl }) => documents.filter((entry) => entry.name === name).map(({ document }) => ({ name, url: localUrl, typeDefs: document }))),
  );
  if (!compositionHasErrors(result)) return [{ status: 'pass', message: '@theguild/federation-composition composes them too' }];
  return result.errors.map((error: GraphQLError) => ({
    status: 'fail',
    code: String(error.extensions?.code ?? 'COMPOSITION_ERROR'),
    message: `@theguild/federation-composition refuses: ${error.message}`,
  }));
}

const isInaccessible = (directives: readonly DirectiveNode[] | undefined) => directives?.some((directive) => directive.name.value === 'inaccessible') === true;

function namedTypeOf(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedTypeOf(type.type);
}

/**
 * Grafbase refuses a field, argument or input field whose type is @inaccessible unless it is
 * @inaccessible itself (a client could otherwise see a field whose type it cannot name). A type
 * marked @inaccessible in any subgraph is inaccessible in the supergraph, so the names are
 * gathered from all of them first.
 */
export function inaccessibleTypeFindings(documents: { name: string; document: DocumentNode }[]): Finding[] {
  const hidden = new Set<string>();
  for (const { document } of documents) {
    for (const definition of document.definitions) {
      if ('name' in definition && definition.name && 'directives' in definition && isInaccessible(definition.directives)) hidden.add(definition.name.value);
    }
  }
  const findings: Finding[] = [];
  const refuse = (subgraph: string, coordinate: string, type: string) =>
    findings.push({ status: 'fail', subgraph, coordinate, code: 'INACCESSIBLE_TYPE_EXPOSED', message: `${coordinate} is of the @inaccessible type ${type} but is not @inaccessible itself (Grafbase refuses this): mark it @inaccessible` });
  for (const { name, document } of documents) {
    for (const definition of document.definitions) {
      if (!('fields' in definition) || !definition.fields) continue;
      for (const field of definition.fields) {
        const coordinate = `${definition.name.value}.${field.name.value}`;
        const type = namedTypeOf(field.type);
        if (hidden.has(type) && !isInaccessible(field.directives)) refuse(name, coordinate, type);
        for (const argument of 'arguments' in field ? (field.arguments ?? []) : []) {
          const argumentType = namedTypeOf(argument.type);
          if (hidden.has(argumentType) && !isInaccessible(argument.directives)) refuse(name, `${coordinate}(${argument.name.value}:)`, argumentType);
        }
      }
    }
  }
  return findings.length > 0 ? findings : [{ status: 'pass', message: 'every field and argument of an @inaccessible type is @inaccessible itself (Grafbase composes them)' }];
}
