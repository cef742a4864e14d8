import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

/** Resolver maps are `export const Mutation = { reserveStock: (...) => { requireService(caller); ... } }`:
 *  a field whose resolver calls requireService answers only to the saga's service credential. */
const GUARD = 'requireService';

function callsGuard(node: ts.Node): boolean {
  if (ts.isCallExpression(node)) {
    const callee = node.expression;
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
    if (name === GUARD) return true;
  }
  return ts.forEachChild(node, callsGuard) ?? false;
}

function unwrap(node: ts.Expression): ts.Expression {
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node)) {
    return unwrap(node.expression);
  }
  return node;
}

/** Schema coordinates (Type.field) of the service-only resolvers of one subgraph, each with the
 *  file that declares it, read from subgraphs/<name>/src/resolvers/*.ts. */
export function findServiceOnlyResolvers(root: string, subgraph: string): Map<string, string> {
  const found = new Map<string, string>();
  const dir = join(root, 'subgraphs', subgraph, 'src', 'resolvers');
  if (!existsSync(dir)) return found;
  for (const fileName of readdirSync(dir)
    .filter((name) => name.endsWith('.ts'))
    .sort()) {
    const file = `subgraphs/${subgraph}/src/resolvers/${fileName}`;
    const source = ts.createSourceFile(file, readFileSync(join(dir, fileName), 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
        const map = unwrap(node.initializer);
        if (ts.isObjectLiteralExpression(map)) {
          for (const property of map.properties) {
            if (property.name && ts.isIdentifier(property.name) && callsGuard(property)) {
              found.set(`${node.name.text}.${property.name.text}`, file);
            }
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}
