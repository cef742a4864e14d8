import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composedSchemaFiles, composeSdl, SUBGRAPHS, subgraphSdlPath } from '../compose.js';
import { checkBreakingChanges } from './breaking-changes.js';
import { checkClientOperations } from './client-operations.js';
import { checkCompositionSetup, compositionFindings, driftFindings } from './composition.js';
import { checkPortability } from './portability.js';
import { resolveBase } from './git.js';
import { checkGeneratedTypes } from './generated-types.js';
import { section, type Finding, type SchemaCheckReport } from './report.js';
import { findServiceOnlyResolvers } from './service-only-resolvers.js';
import { checkSubgraphSdl } from './subgraph-sdl.js';

const SDL_FIX =
  'describe every public element; mark internal ones @inaccessible with a description starting "Internal"';
const COMPOSITION_FIX =
  'fix the subgraph SDL at the places named; it must compose with the release the gateway runs and with the other routers\' rules';
const DRIFT_FIX = 'run npm run schema:compose and commit schema/ with the SDL change';
const BREAKING_FIX =
  'keep the old element (deprecate it first), or name it in schema/allowed-breaking-changes.txt as "<coordinate>  <reason>"';
const OPERATIONS_FIX = 'fix the operations, or the schema change that broke them';

export interface SchemaCheckOptions {
  /** The repository to check (its working tree). */
  root: string;
  /** A git ref to compare the API schema with; the merge base of HEAD and main when absent. */
  base?: string;
}

export async function runSchemaCheck({ root, base: requested }: SchemaCheckOptions): Promise<SchemaCheckReport> {
  const base = resolveBase(root, requested);
  const sdl: Record<string, string> = {};
  const sdlFindings: Finding[] = [];
  const unreadable: string[] = [];
  for (const { name } of SUBGRAPHS) {
    const path = join(root, subgraphSdlPath(name));
    if (!existsSync(path)) {
      sdlFindings.push({ status: 'fail', subgraph: name, file: subgraphSdlPath(name), message: 'is missing' });
      unreadable.push(name);
      continue;
    }
    sdl[name] = readFileSync(path, 'utf8');
    const { parsed, findings } = checkSubgraphSdl(name, sdl[name], findServiceOnlyResolvers(root, name));
    sdlFindings.push(...findings);
    if (!parsed) unreadable.push(name);
  }

  const composition = unreadable.length === 0 ? composeSdl(sdl) : undefined;
  const composed = composition && !composition.errors ? composedSchemaFiles(composition) : undefined;
  const notComposed: Finding = { status: 'info', message: 'not checked: the subgraphs do not compose' };
  const compositionSection: Finding[] = [
    ...checkCompositionSetup(root),
    ...(composition
      ? [...compositionFindings(composition), ...checkPortability(sdl)]
      : [{ status: 'fail', message: `not composed: fix ${unreadable.join(', ')} first` } satisfies Finding]),
  ];
  const currentApi = composed?.find(({ path }) => path === 'schema/api.graphql')?.content ?? null;

  const sections = [
    section('subgraph SDL', 'Subgraph SDL: parses, described, internal fields @inaccessible', SDL_FIX, sdlFindings),
    section('composition', 'Composition', COMPOSITION_FIX, compositionSection),
    section(
      'drift',
      'Drift: committed schema/ is what the subgraphs compose to',
      DRIFT_FIX,
      composed ? driftFindings(root, composed) : [notComposed],
    ),
    section(
      'breaking changes',
      'Breaking changes of the API schema clients see',
      BREAKING_FIX,
      await checkBreakingChanges(root, base, currentApi),
    ),
    section(
      'client operations',
      'Client operations validate against schema/api.graphql',
      OPERATIONS_FIX,
      checkClientOperations(root),
    ),
    section('generated types', 'Generated types', 'regenerate the types and commit them', checkGeneratedTypes(root)),
  ];
  return { ok: sections.every(({ ok }) => ok), base, sections };
}
