import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import { buildSchema } from 'graphql';
import { composedSchemaFiles, composeSdl, SUBGRAPHS, subgraphSdlPath } from '../compose.js';
import { ALLOW_FILE, readAllowances, type Allowance } from './allowed-breaking-changes.js';
import { readAtCommit } from './git.js';
import type { Base, Finding } from './report.js';

/** The base's API schema: its committed schema/api.graphql, else what its subgraphs compose to
 *  (a base from before the schema was committed), else none. */
function apiSchemaAt(root: string, commit: string): string | null {
  const committed = readAtCommit(root, commit, 'schema/api.graphql');
  if (committed !== null) return committed;
  const sdl = Object.fromEntries(
    SUBGRAPHS.flatMap(({ name }) => {
      const text = readAtCommit(root, commit, subgraphSdlPath(name));
      return text === null ? [] : [[name, text]];
    }),
  );
  if (Object.keys(sdl).length === 0) return null;
  const result = composeSdl(sdl);
  return result.errors ? null : composedSchemaFiles(result).find(({ path }) => path === 'schema/api.graphql')!.content;
}

/** Type.field.argument (graphql-inspector's path) as the schema coordinate Type.field(argument:). */
function coordinateOf(change: Change): string {
  const path = change.path ?? change.type;
  const parts = path.split('.');
  return change.type.startsWith('FIELD_ARGUMENT_') && parts.length === 3
    ? `${parts[0]}.${parts[1]}(${parts[2]}:)`
    : path;
}

function verdict(change: Change, allowances: Allowance[], used: Set<Allowance>): Finding {
  const coordinate = coordinateOf(change);
  const finding = { coordinate, code: change.type, message: change.message };
  switch (change.criticality.level) {
    case CriticalityLevel.Breaking: {
      const allowance = allowances.find((entry) => entry.coordinate === coordinate || entry.coordinate === change.path);
      if (!allowance) return { ...finding, status: 'fail', message: `breaking: ${change.message}` };
      used.add(allowance);
      const allowed = `allowed by ${ALLOW_FILE}:${allowance.line} (${allowance.reason})`;
      return {
        ...finding,
        status: 'pass',
        allowedBecause: allowance.reason,
        message: `breaking, ${allowed}: ${change.message}`,
      };
    }
    case CriticalityLevel.Dangerous:
      return { ...finding, status: 'warn', message: `dangerous: ${change.message}` };
    default:
      return { ...finding, status: 'pass', message: `safe: ${change.message}` };
  }
}

/** graphql-inspector reports the description of a new element as a change of its own; the
 *  element's addition already says it all. */
function withoutDescriptionsOfAdded(changes: Change[]): Change[] {
  const added = changes
    .filter(({ type }) => type.endsWith('_ADDED') && !type.includes('DESCRIPTION'))
    .map(({ path }) => path);
  const isInsideAdded = (path: string | undefined) =>
    added.some((root) => path && root && (path === root || path.startsWith(`${root}.`)));
  return changes.filter(({ type, path }) => !(type.includes('DESCRIPTION') && isInsideAdded(path)));
}

const ORDER: Record<Finding['status'], number> = { fail: 0, warn: 2, pass: 3, info: 4 };
const rank = (finding: Finding) => (finding.allowedBecause ? 1 : ORDER[finding.status]);

/** Compares the client-facing API schema of the working tree with the base's. */
export async function checkBreakingChanges(root: string, base: Base, currentApi: string | null): Promise<Finding[]> {
  const { allowances, problems } = readAllowances(root);
  if (currentApi === null)
    return [...problems, { status: 'info', message: 'not compared: the subgraphs do not compose' }];
  const baseApi = base.commit ? apiSchemaAt(root, base.commit) : null;
  if (baseApi === null) {
    return [
      ...problems,
      { status: 'info', message: 'nothing to compare: the base has no API schema (every type is new)' },
    ];
  }
  const used = new Set<Allowance>();
  const changes = withoutDescriptionsOfAdded(await diff(buildSchema(baseApi), buildSchema(currentApi)));
  const findings = changes.map((change) => verdict(change, allowances, used)).sort((a, b) => rank(a) - rank(b));
  if (findings.length === 0) findings.push({ status: 'pass', message: 'no change to the API schema' });
  const unused = allowances.filter((entry) => !used.has(entry));
  const stale = unused.map(({ coordinate, line }): Finding => ({
    status: 'info',
    file: ALLOW_FILE,
    line,
    coordinate,
    message: 'matches no breaking change against this base (remove it once the break has landed)',
  }));
  return [...problems, ...findings, ...stale];
}
