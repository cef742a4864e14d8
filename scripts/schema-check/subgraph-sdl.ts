import {
  getLocation,
  GraphQLError,
  isTypeDefinitionNode,
  isTypeExtensionNode,
  type ASTNode,
  type DirectiveNode,
  type DocumentNode,
  type StringValueNode,
} from 'graphql';
import { parseSubgraphSdl, subgraphSdlPath } from '../compose.js';
import type { Finding } from './report.js';

const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);
const INTERNAL = /^Internal\b/;

interface Element {
  coordinate: string;
  node: ASTNode & { description?: StringValueNode };
  /** Hidden by an @inaccessible on its own definition or on its type. */
  hidden: boolean;
  ownInaccessible: boolean;
  needsDescription: boolean;
}

const isInaccessible = (directives: readonly DirectiveNode[] | undefined) =>
  directives?.some(({ name }) => name.value === 'inaccessible' || name.value === 'federation__inaccessible') ?? false;

/** Types, fields, input fields and enum values, with whether each is public. Arguments are left
 *  out: the field's description says what its arguments mean, the way the SDL is written. */
function elements(document: DocumentNode): Element[] {
  const found: Element[] = [];
  for (const definition of document.definitions) {
    if (!isTypeDefinitionNode(definition) && !isTypeExtensionNode(definition)) continue;
    const typeName = definition.name.value;
    const typeHidden = isInaccessible(definition.directives);
    const isExtension = isTypeExtensionNode(definition);
    found.push({
      coordinate: typeName,
      node: definition,
      hidden: typeHidden,
      ownInaccessible: typeHidden,
      needsDescription: !isExtension && !ROOT_TYPES.has(typeName),
    });
    const members = [
      ...('fields' in definition ? (definition.fields ?? []) : []),
      ...('values' in definition ? (definition.values ?? []) : []),
    ];
    for (const member of members) {
      const own = isInaccessible(member.directives);
      found.push({
        coordinate: `${typeName}.${member.name.value}`,
        node: member,
        hidden: typeHidden || own,
        ownInaccessible: own,
        needsDescription: true,
      });
    }
  }
  return found;
}

function at(node: ASTNode): Pick<Finding, 'file' | 'line' | 'column'> {
  if (!node.loc) return {};
  const { line, column } = getLocation(node.loc.source, node.loc.start);
  return { file: node.loc.source.name, line, column };
}

/** Checks one subgraph's SDL on its own: it parses; every public type, field, input field and
 *  enum value is described; "Internal" in a description and @inaccessible go together; and every
 *  field whose resolver demands the service credential is @inaccessible. */
export function checkSubgraphSdl(
  name: string,
  sdl: string,
  serviceOnly: Map<string, string>,
): { parsed: boolean; findings: Finding[] } {
  let document: DocumentNode;
  try {
    document = parseSubgraphSdl(name, sdl);
  } catch (error) {
    const { line, column } = (error as GraphQLError).locations?.[0] ?? {};
    const findings: Finding[] = [
      { status: 'fail', subgraph: name, file: subgraphSdlPath(name), line, column, message: (error as Error).message },
    ];
    return { parsed: false, findings };
  }
  const problems: Finding[] = [];
  const fail = (element: Element, message: string) =>
    problems.push({ status: 'fail', subgraph: name, coordinate: element.coordinate, ...at(element.node), message });
  const all = elements(document);
  for (const element of all) {
    const description = element.node.description?.value.trim();
    if (!element.hidden && element.needsDescription && !description) fail(element, 'has no description');
    if (description && INTERNAL.test(description) && !element.hidden) {
      fail(element, 'is described as Internal but is not @inaccessible');
    }
    if (element.ownInaccessible && !(description && INTERNAL.test(description))) {
      fail(element, 'is @inaccessible; its description must start with "Internal" and say why');
    }
    const guardedIn = serviceOnly.get(element.coordinate);
    if (guardedIn && !element.hidden)
      fail(element, `requires the service credential (${guardedIn}) but is not @inaccessible`);
  }
  if (problems.length > 0) return { parsed: true, findings: problems };
  const publicCount = all.filter(({ hidden, needsDescription }) => !hidden && needsDescription).length;
  const internal = all.filter(({ ownInaccessible }) => ownInaccessible).map(({ coordinate }) => coordinate);
  const summary: Finding = {
    status: 'pass',
    subgraph: name,
    file: subgraphSdlPath(name),
    message:
      `parses; all ${publicCount} public types, fields, input fields and enum values are described; ` +
      `internal and @inaccessible: ${internal.join(', ') || 'none'}`,
  };
  return { parsed: true, findings: [summary] };
}
