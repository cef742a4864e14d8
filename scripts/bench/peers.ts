import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { startGrafbase } from './grafbase.js';
import { PeerUnavailable } from './peer-unavailable.js';
import { freePort, startChild } from './processes.js';
import type { Gateway, Subgraph, SubgraphName } from './services.js';

export type PeerSpec =
  /** Hive Gateway, with the Rust query planner instead of its JavaScript one when rustPlanner. */
  | { kind: 'hive'; name: string; rustPlanner: boolean }
  /** Grafbase's Rust gateway (grafbase dev), which composes the subgraphs' SDL itself. */
  | { kind: 'grafbase'; name: string };

export const PEERS: PeerSpec[] = [
  { kind: 'hive', name: 'Hive Gateway (JS planner)', rustPlanner: false },
  { kind: 'hive', name: 'Hive Gateway (Rust planner)', rustPlanner: true },
  { kind: 'grafbase', name: 'Grafbase' },
];

export { PeerUnavailable };

/** The committed supergraph with each subgraph's URL replaced by where it runs in this bench
 *  (or in a test, which gives a path of its own). */
export function writeSupergraph(root: string, subgraphs: Record<SubgraphName, Pick<Subgraph, 'url'>>, path = join(root, '.data', 'bench', 'supergraph.graphql')): string {
  let sdl = readFileSync(join(root, 'schema', 'supergraph.graphql'), 'utf8');
  for (const [name, { url }] of Object.entries(subgraphs)) {
    sdl = sdl.replace(new RegExp(`(@join__graph\\(name: "${name}", url: ")[^"]*(")`), `$1${url}$2`);
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, sdl);
  return path;
}

export async function startPeer(spec: PeerSpec, root: string, subgraphs: Record<SubgraphName, Subgraph>, workers: number): Promise<Gateway> {
  return spec.kind === 'grafbase' ? startGrafbase(spec.name, root, subgraphs, workers) : startHive(spec, root, writeSupergraph(root, subgraphs), workers);
}

/** Starts Hive Gateway's CLI, the way its documentation runs it, with as many workers as ours. */
export async function startHive(spec: PeerSpec & { kind: 'hive' }, root: string, supergraphPath: string, workers: number): Promise<Gateway> {
  const require = createRequire(join(root, 'package.json'));
  if (spec.rustPlanner) {
    // The CLI falls back to the JavaScript planner with only a warning when this cannot load.
    try {
      await import(require.resolve('@graphql-hive/router-runtime'));
    } catch (error) {
      throw new PeerUnavailable(`@graphql-hive/router-runtime does not load on Node ${process.version}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  const bin = join(dirname(require.resolve('@graphql-hive/gateway/package.json')), 'dist', 'bin.js');
  const port = await freePort();
  const args = [bin, 'supergraph', supergraphPath, '--port', String(port), '--host', '127.0.0.1', '--fork', String(workers), '-c', join(root, 'scripts', 'bench', 'hive-gateway.config.ts')];
  if (spec.rustPlanner) args.push('--hive-router-runtime');
  const server = await startChild(spec.name, args, { NODE_ENV: 'production' }, `http://127.0.0.1:${port}/readiness`);
  if (spec.rustPlanner && /Could not load the @graphql-hive\/router-runtime/.test(server.output())) {
    await server.stop();
    throw new PeerUnavailable('Hive Gateway could not load @graphql-hive/router-runtime and fell back to its JavaScript planner');
  }
  return { name: spec.name, url: `http://127.0.0.1:${port}/graphql`, pid: server.pid, stop: server.stop };
}
