import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { CompositionResult } from '@apollo/composition';
import { getLocation, type GraphQLError } from 'graphql';
import { SUBGRAPHS, subgraphSdlPath } from '../compose.js';
import type { Finding } from './report.js';

const SDL_FILE = /^subgraphs\/([^/]+)\/schema\.graphql$/;

function compositionError(error: GraphQLError): Finding {
  const sources = (error.nodes ?? []).flatMap((node) => (node.loc ? [node.loc] : []));
  const subgraphs = new Set(sources.map(({ source }) => SDL_FILE.exec(source.name)?.[1]).filter(Boolean));
  const prefixed = /^\[([^\]]+)\]/.exec(error.message)?.[1];
  if (prefixed) subgraphs.add(prefixed);
  const first = sources[0];
  const position = first ? { file: first.source.name, ...getLocation(first.source, first.start) } : {};
  const code = String(error.extensions?.code ?? 'COMPOSITION_ERROR');
  return {
    status: 'fail',
    code,
    subgraph: [...subgraphs].join(', ') || undefined,
    ...position,
    message: error.message,
  };
}

function packageVersion(root: string, name: string): string | undefined {
  try {
    return (createRequire(join(root, 'package.json'))(`${name}/package.json`) as { version: string }).version;
  } catch {
    return undefined;
  }
}

/** The composition must be the one the gateway runs: the same federation release of
 *  @apollo/composition as @apollo/gateway, and every subgraph folder listed in SUBGRAPHS. */
export function checkCompositionSetup(root: string): Finding[] {
  const composition = packageVersion(root, '@apollo/composition');
  const gateway = packageVersion(root, '@apollo/gateway');
  const findings: Finding[] = [
    composition && composition === gateway
      ? {
          status: 'pass',
          message: `@apollo/composition ${composition}, the federation release @apollo/gateway ${gateway} runs`,
        }
      : {
          status: 'fail',
          message: `@apollo/composition ${composition ?? 'missing'} differs from @apollo/gateway ${gateway ?? 'missing'}`,
        },
  ];
  const listed = new Set<string>(SUBGRAPHS.map(({ name }) => name));
  const dirs = existsSync(join(root, 'subgraphs')) ? readdirSync(join(root, 'subgraphs')) : [];
  for (const dir of dirs.filter((name) => !listed.has(name) && existsSync(join(root, subgraphSdlPath(name))))) {
    findings.push({
      status: 'fail',
      file: subgraphSdlPath(dir),
      message: 'is not composed: add it to SUBGRAPHS in lib/subgraphs.ts',
    });
  }
  return findings;
}

export function compositionFindings(result: CompositionResult): Finding[] {
  if (result.errors) return result.errors.map(compositionError);
  return [
    {
      status: 'pass',
      message: `the ${SUBGRAPHS.length} subgraphs compose with @apollo/composition (${SUBGRAPHS.map(({ name }) => name).join(', ')})`,
    },
    ...result.hints.map((hint): Finding => ({
      status: 'info',
      code: hint.definition.code,
      message: `hint: ${hint.message}`,
    })),
  ];
}

/** The committed files must be exactly what `npm run schema:compose` writes. */
export function driftFindings(root: string, expected: { path: string; content: string }[]): Finding[] {
  return expected.map(({ path, content }): Finding => {
    const file = join(root, path);
    if (!existsSync(file)) return { status: 'fail', file: path, message: 'is missing: run npm run schema:compose' };
    const actual = readFileSync(file, 'utf8');
    if (actual === content) return { status: 'pass', file: path, message: 'is what the subgraphs compose to' };
    const actualLines = actual.split('\n');
    const expectedLines = content.split('\n');
    const index = expectedLines.findIndex((line, i) => line !== actualLines[i]);
    const line = index === -1 ? expectedLines.length + 1 : index + 1;
    const show = (text: string | undefined) =>
      text === undefined ? 'end of file' : JSON.stringify(text.trim().slice(0, 80));
    return {
      status: 'fail',
      file: path,
      line,
      message:
        `differs from what the subgraphs compose to (here: ${show(actualLines[line - 1])}, ` +
        `composed: ${show(expectedLines[line - 1])}): run npm run schema:compose`,
    };
  });
}
