import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { Finding } from './report.js';

const CONFIG_NAMES = ['ts', 'mts', 'cts', 'js', 'mjs', 'cjs', 'yml', 'yaml', 'json'].map((ext) => `codegen.${ext}`);

/** The repo itself and each client under clients/: the places that may generate types. */
function packageDirs(root: string): string[] {
  const clients = existsSync(join(root, 'clients'))
    ? readdirSync(join(root, 'clients'), { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => `clients/${e.name}`)
    : [];
  return ['.', ...clients];
}

function scriptsOf(root: string, dir: string): Record<string, string> {
  const path = join(root, dir, 'package.json');
  return existsSync(path)
    ? ((JSON.parse(readFileSync(path, 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {})
    : {};
}

/** The installed CLI nearest to the config, as npm would run it; never a download. */
function findCli(root: string, dir: string): string | undefined {
  for (let current = join(root, dir); ; current = dirname(current)) {
    const bin = join(current, 'node_modules', '.bin', 'graphql-codegen');
    if (existsSync(bin)) return bin;
    if (relative(root, current) === '' || current === dirname(current)) return undefined;
  }
}

function verdict(file: string, command: string, run: ReturnType<typeof spawnSync>): Finding {
  if (run.status === 0) return { status: 'pass', file, message: `generated types are up to date (${command})` };
  const lines = `${run.stdout ?? ''}${run.stderr ?? ''}${run.error?.message ?? ''}`.trim().split('\n');
  // An operation that no longer validates (the saga's calls to a peer) is named where it failed, not in the last lines.
  const failed = lines.findIndex((line) => line.includes('[FAILED'));
  const output = [...(failed >= 0 ? lines.slice(failed, failed + 3) : []), ...lines.slice(-5)].map((line) => line.trim()).join(' / ');
  return {
    status: 'fail',
    file,
    message: `generated types are out of date or do not build: ${command} says: ${output}`,
  };
}

/** Generated resolver and client types must be what codegen makes from today's schema. A package
 *  says how to check that with a `codegen:check` script; without one, a codegen config is checked
 *  with `graphql-codegen --check`, which regenerates in memory and fails on any stale file. */
export function checkGeneratedTypes(root: string): Finding[] {
  const withCodegenScript: string[] = [];
  const findings = packageDirs(root).flatMap((dir): Finding[] => {
    const scripts = scriptsOf(root, dir);
    const where = dir === '.' ? 'package.json' : `${dir}/package.json`;
    if (scripts['codegen:check']) {
      const run = spawnSync('npm', ['run', '--silent', 'codegen:check'], { cwd: join(root, dir), encoding: 'utf8' });
      return [verdict(where, 'npm run codegen:check', run)];
    }
    if (scripts.codegen) withCodegenScript.push(where);
    return CONFIG_NAMES.map((name) => join(dir, name))
      .filter((config) => existsSync(join(root, config)))
      .map((config) => {
        const cli = findCli(root, dir);
        if (!cli)
          return { status: 'fail', file: config, message: '@graphql-codegen/cli is not installed: run npm install' };
        const run = spawnSync(cli, ['--config', join(root, config), '--check'], {
          cwd: join(root, dir),
          encoding: 'utf8',
          // Under NODE_ENV=test (as jest sets it) codegen keeps quiet about which operation failed.
          env: { ...process.env, NODE_ENV: undefined },
        });
        return verdict(config, `graphql-codegen --config ${config} --check`, run);
      });
  });
  if (findings.length > 0) return findings;
  // A codegen script that finds none of the configs above generates something this check cannot see.
  const unseen = withCodegenScript.map((file): Finding => ({
    status: 'warn',
    file,
    message: 'has a codegen script but no codegen:check script or codegen config this check can run',
  }));
  const nothing = 'nothing generated to check: no codegen:check script or codegen config in the repo root or clients/*';
  return unseen.length > 0 ? unseen : [{ status: 'pass', message: nothing }];
}
