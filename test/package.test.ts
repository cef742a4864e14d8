import { readFileSync } from 'node:fs';

interface Manifest {
  engines: { node: string };
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}
interface Lockfile {
  packages: Record<string, { version?: string }>;
}

const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as Manifest;
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as Lockfile;
const all = { ...manifest.dependencies, ...manifest.devDependencies };

/** Every copy of a package the lockfile installs, wherever it is nested. */
function installed(name: string): string[] {
  return Object.entries(lock.packages)
    .filter(([path]) => path === `node_modules/${name}` || path.endsWith(`/node_modules/${name}`))
    .map(([, entry]) => entry.version!);
}

describe('package.json', () => {
  it('pins every dependency to an exact version, as the lockfile installs it', () => {
    for (const [name, range] of Object.entries(all)) {
      expect({ name, range }).toEqual({ name, range: expect.stringMatching(/^\d+\.\d+\.\d+(-[\w.]+)?$/) });
      expect({ name, installed: lock.packages[`node_modules/${name}`]?.version }).toEqual({ name, installed: range });
    }
  });

  it('keeps one MikroORM (6.6.16), one federation release and one graphql 16 in the tree', () => {
    const mikroOrm = Object.keys(all).filter((name) => name.startsWith('@mikro-orm/'));
    expect(mikroOrm.length).toBeGreaterThan(0);
    for (const name of mikroOrm) expect({ name, versions: installed(name) }).toEqual({ name, versions: ['6.6.16'] });
    const federation = ['@apollo/gateway', '@apollo/subgraph', '@apollo/composition', '@apollo/federation-internals', '@apollo/query-planner'];
    const releases = new Set(federation.flatMap(installed));
    expect(releases.size).toBe(1);
    // Two graphql copies would break instanceof checks between the gateway, subgraphs and armor.
    expect(installed('graphql')).toEqual([expect.stringMatching(/^16\./)]);
  });

  it('declares the Node versions it runs on, this one included', () => {
    // 20.18.1: what undici 7 (the gateway's subgraph client) needs.
    expect(manifest.engines.node).toBe('>=20.18.1 <21 || >=22');
    const [major, minor, patch] = process.versions.node.split('.').map(Number) as [number, number, number];
    expect(major >= 22 || (major === 20 && (minor > 18 || (minor === 18 && patch >= 1)))).toBe(true);
  });
});
