import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema,
  getLocation,
  GraphQLError,
  Kind,
  NoUnusedFragmentsRule,
  parse,
  Source,
  specifiedRules,
  validate,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
} from 'graphql';
import type { Finding } from './report.js';

/** Where operations live: every client's documents, and every .graphql file of the gateway
 *  (its playground's example operations; the gateway has no SDL of its own). */
export const OPERATION_ROOTS = ['clients', 'gateway'];
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'build', 'coverage']);

function findDocuments(root: string, dir: string): string[] {
  if (!existsSync(join(root, dir))) return [];
  return readdirSync(join(root, dir), { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory())
        return entry.name.startsWith('.') || SKIPPED_DIRS.has(entry.name) ? [] : findDocuments(root, path);
      return /\.(graphql|gql)$/.test(entry.name) ? [path] : [];
    });
}

function located(file: string, error: GraphQLError): Finding {
  const loc = error.nodes?.find((node) => node.loc)?.loc;
  const position = loc
    ? { file: loc.source.name, ...getLocation(loc.source, loc.start) }
    : { file, ...error.locations?.[0] };
  return { status: 'fail', ...position, message: error.message };
}

/** The fragments a document spreads, followed through the fragments they spread in turn. */
function fragmentsUsed(
  document: DocumentNode,
  fragments: Map<string, FragmentDefinitionNode>,
): FragmentDefinitionNode[] {
  const own = new Set(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [d.name.value] : [])));
  const used = new Map<string, FragmentDefinitionNode>();
  const follow = (node: DocumentNode | FragmentDefinitionNode) =>
    visit(node, {
      FragmentSpread({ name }) {
        const fragment = fragments.get(name.value);
        if (own.has(name.value) || used.has(name.value) || !fragment) return;
        used.set(name.value, fragment);
        follow(fragment);
      },
    });
  follow(document);
  return [...used.values()];
}

/** Validates every operation document against the committed client-facing schema. Fragments
 *  may live in another file of the same scan, as codegen and most clients allow. */
export function checkClientOperations(root: string): Finding[] {
  const files = OPERATION_ROOTS.flatMap((dir) => findDocuments(root, dir));
  const where = `${OPERATION_ROOTS.map((dir) => `${dir}/**/*.graphql`).join(', ')}`;
  if (files.length === 0) return [{ status: 'pass', message: `no operations to validate (none under ${where})` }];
  const apiPath = join(root, 'schema/api.graphql');
  if (!existsSync(apiPath)) return [{ status: 'fail', file: 'schema/api.graphql', message: 'is missing' }];
  const schema = buildSchema(readFileSync(apiPath, 'utf8'));
  const findings: Finding[] = [];
  const documents = new Map<string, DocumentNode>();
  for (const file of files) {
    try {
      documents.set(file, parse(new Source(readFileSync(join(root, file), 'utf8'), file)));
    } catch (error) {
      findings.push(located(file, error as GraphQLError));
    }
  }
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const document of documents.values()) {
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
  }
  const rules = specifiedRules.filter((rule) => rule !== NoUnusedFragmentsRule);
  let operations = 0;
  for (const [file, document] of documents) {
    const executable = document.definitions.some(
      (d) => d.kind === Kind.OPERATION_DEFINITION || d.kind === Kind.FRAGMENT_DEFINITION,
    );
    if (!executable) {
      findings.push({ status: 'info', file, message: 'skipped: it holds no operation or fragment' });
      continue;
    }
    operations += document.definitions.filter(({ kind }) => kind === Kind.OPERATION_DEFINITION).length;
    const whole: DocumentNode = {
      ...document,
      definitions: [...document.definitions, ...fragmentsUsed(document, fragments)],
    };
    findings.push(...validate(schema, whole, rules).map((error) => located(file, error)));
  }
  const unique = [...new Map(findings.map((finding) => [JSON.stringify(finding), finding])).values()];
  if (!unique.some(({ status }) => status === 'fail')) {
    unique.unshift({
      status: 'pass',
      message: `${operations} operations in ${documents.size} files validate against schema/api.graphql`,
    });
  }
  return unique;
}
