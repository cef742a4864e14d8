import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Router } from 'express';
import type { BuildOptions } from 'esbuild';
import { ConfigError } from '../../lib/config.js';

export interface BundledFile {
  contentType: string;
  body: Uint8Array;
  etag: string;
}

/** A built bundle by file name: playground.js, playground.css, json.worker.js, ... */
export type Bundle = ReadonlyMap<string, BundledFile>;

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.svg': 'image/svg+xml',
};
const OUT_DIR = '/bundle';

/** The checkout the gateway runs from, found the same way from src/ (tsx) and dist/ (node). The
 *  browser code is bundled from its sources, which live outside gateway/src. */
export const REPO_ROOT = findRepoRoot(dirname(fileURLToPath(import.meta.url)));

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'node_modules'))) return dir;
    if (dirname(dir) === dir) return process.cwd();
  }
}

/** Stops the gateway at startup, naming the setting, when a page it should serve cannot be built
 *  here: a production install (npm ci --omit=dev, the Docker image) has neither the browser
 *  sources nor esbuild. */
export function assertCanBundle(setting: string, entry: string): void {
  let bundler = true;
  try {
    import.meta.resolve('esbuild');
  } catch {
    bundler = false;
  }
  if (!bundler || !existsSync(join(REPO_ROOT, entry))) {
    throw new ConfigError(`${setting} is on, but this install cannot build it (${bundler ? `${entry} is missing` : 'esbuild is not installed'}): set ${setting}=false, or install the dev dependencies`);
  }
}

/** Bundles into memory with esbuild: nothing is written, so a read-only checkout serves the pages too. */
export async function bundleInMemory(options: BuildOptions): Promise<Bundle> {
  // A development dependency, like the browser code it bundles: a production install
  // (npm ci --omit=dev) has neither, and its gateway starts without them.
  const { build } = await import('esbuild');
  const result = await build({
    bundle: true,
    minify: true,
    target: 'es2022',
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
    absWorkingDir: REPO_ROOT,
    ...options,
    write: false,
    outdir: OUT_DIR,
  });
  const files = new Map<string, BundledFile>();
  for (const file of result.outputFiles) {
    const name = relative(OUT_DIR, file.path);
    const etag = `"${createHash('sha256').update(file.contents).digest('base64url').slice(0, 22)}"`;
    files.set(name, { contentType: CONTENT_TYPES[extname(name)] ?? 'application/octet-stream', body: file.contents, etag });
  }
  return files;
}

const builds = new Map<string, Promise<Bundle>>();

/** Builds a bundle once per process, on first use: a gateway whose pages nobody opens never pays
 *  for the build. A failed build is forgotten so the next request tries again. */
export function bundleOnce(name: string, make: () => Promise<Bundle>): Promise<Bundle> {
  let pending = builds.get(name);
  if (!pending) {
    pending = make();
    builds.set(name, pending);
    pending.catch(() => builds.delete(name));
  }
  return pending;
}

/** Serves a bundle's files. They change whenever the gateway is restarted with new sources, so
 *  browsers revalidate every time (ETag) instead of caching them for a fixed time. */
export function bundleRouter(load: () => Promise<Bundle>): Router {
  const router = express.Router();
  router.get('/:file', async (req, res, next) => {
    const file = (await load()).get(req.params.file);
    if (!file) return next();
    res.set({ 'content-type': file.contentType, 'cache-control': 'no-cache', etag: file.etag });
    if (req.fresh) return void res.status(304).end();
    res.send(Buffer.from(file.body.buffer, file.body.byteOffset, file.body.byteLength));
  });
  return router;
}
