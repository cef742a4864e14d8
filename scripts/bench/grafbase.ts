import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PeerUnavailable } from './peer-unavailable.js';
import { freePort, startChild } from './processes.js';
import type { Gateway, Subgraph, SubgraphName } from './services.js';

/** Pinned: a benchmark peer, installed on demand, never a dependency of the services. */
const GRAFBASE_PACKAGE = '@grafbase/cli-x86_64-unknown-linux-musl';
const GRAFBASE_VERSION = '0.103.0';

/**
 * The Grafbase CLI binary, installed once into .data/bench/peers (git-ignored) at the pinned
 * version. It is a 100 MB native binary for one platform: as a devDependency every `npm ci`
 * would download it, on every platform, for a tool only the bench runs.
 */
function grafbaseBinary(root: string): string {
  if (process.platform !== 'linux' || process.arch !== 'x64') throw new PeerUnavailable(`Grafbase's npm build is for linux x64, not ${process.platform} ${process.arch}`);
  const prefix = join(root, '.data', 'bench', 'peers');
  const binary = join(prefix, 'node_modules', GRAFBASE_PACKAGE, 'grafbase');
  const installed = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  if (installed.stdout?.includes(GRAFBASE_VERSION)) return binary;
  mkdirSync(prefix, { recursive: true });
  if (!existsSync(join(prefix, 'package.json'))) writeFileSync(join(prefix, 'package.json'), '{ "private": true }\n');
  const install = spawnSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', `${GRAFBASE_PACKAGE}@${GRAFBASE_VERSION}`], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  if (install.status !== 0) throw new PeerUnavailable(`npm could not install ${GRAFBASE_PACKAGE}@${GRAFBASE_VERSION}: ${(install.stderr || install.stdout).trim().split('\n').at(-1)}`);
  return binary;
}

/**
 * `grafbase dev` over our running subgraphs: it composes their SDL files itself, forwards the
 * caller's Authorization header as our gateway does, and runs with as many Tokio worker threads
 * as our gateway has workers. HOME is a scratch folder, so nothing of the user's is read or written.
 */
export async function startGrafbase(name: string, root: string, subgraphs: Record<SubgraphName, Subgraph>, workers: number): Promise<Gateway> {
  const binary = grafbaseBinary(root);
  const dir = join(root, '.data', 'bench', 'grafbase');
  mkdirSync(join(dir, 'home'), { recursive: true });
  const subgraphConfig = Object.entries(subgraphs).map(
    ([subgraph, { url }]) => `[subgraphs.${subgraph}]\nurl = "${url}"\nschema_path = "${join(root, 'subgraphs', subgraph, 'schema.graphql')}"\n`,
  );
  const config = join(dir, 'grafbase.toml');
  writeFileSync(config, `${subgraphConfig.join('\n')}\n[[headers]]\nrule = "forward"\nname = "authorization"\n\n[csrf]\nenabled = false\n`);
  const port = await freePort();
  const env = { HOME: join(dir, 'home'), TOKIO_WORKER_THREADS: String(workers), NODE_OPTIONS: '' };
  const server = await startChild(name, ['dev', '--config', config, '--listen-address', `127.0.0.1:${port}`], env, `http://127.0.0.1:${port}/health`, 120_000, binary).catch((error: Error) => {
    throw new PeerUnavailable(`grafbase dev did not start: ${error.message.split('\n').slice(0, 4).join(' ')}`);
  });
  return { name, url: `http://127.0.0.1:${port}/graphql`, pid: server.pid, stop: server.stop };
}
