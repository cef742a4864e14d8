import { spawnSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SUBGRAPHS } from '../lib/subgraphs.js';

/**
 * `npm run build`: compiles the services and the catalog import to dist/ and puts beside the
 * JavaScript the files the services read at run time, so `node dist/<service>/src/main.js`
 * needs nothing else from the source tree. The gateway's supergraph is not among them: it is
 * read from SUPERGRAPH_PATH (default schema/supergraph.graphql, relative to the working dir).
 */
// Each subgraph loads its SDL as new URL('../schema.graphql', import.meta.url) from src/server.js.
const RUNTIME_FILES = SUBGRAPHS.map(({ sdlPath }) => sdlPath);

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { 'out-dir': { type: 'string', default: 'dist' } } });
const outDir = resolve(root, values['out-dir']);

// A stale file from a deleted module would otherwise ship in the image.
rmSync(outDir, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', outDir], { stdio: 'inherit' });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);
for (const file of RUNTIME_FILES) cpSync(join(root, file), join(outDir, file));
console.log(`built ${outDir}`);
