import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Express } from 'express';
import { assertCanBundle, bundleInMemory, bundleOnce, bundleRouter, REPO_ROOT } from './bundle.js';

export const STOREFRONT_PATH = '/shop/';
const SOURCE_DIR = 'clients/web';

/** The storefront only talks to this gateway: nothing else may load or be called. */
const CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const bundleStorefront = () =>
  bundleOnce('storefront', () => bundleInMemory({ entryPoints: { main: `./${SOURCE_DIR}/src/main.ts` }, format: 'iife' }));

/**
 * Serves the demo storefront (clients/web) at /shop/, bundled from its TypeScript sources on
 * first request. Being on the gateway's origin, it needs no CORS; a copy hosted elsewhere does.
 */
export function mountStorefront(app: Express, options: { enabled: boolean }): void {
  if (!options.enabled) return;
  assertCanBundle('STOREFRONT', `${SOURCE_DIR}/src/main.ts`);
  const page = readFileSync(join(REPO_ROOT, SOURCE_DIR, 'index.html'), 'utf8');
  app.get(STOREFRONT_PATH, (req, res) => {
    // Its asset links are relative, so the page must be at /shop/, not /shop.
    if (!req.path.endsWith('/')) return res.redirect(308, STOREFRONT_PATH);
    res.set({ 'content-security-policy': CONTENT_SECURITY_POLICY, 'cache-control': 'no-cache' }).type('html').send(page);
  });
  app.use(`${STOREFRONT_PATH}assets`, bundleRouter(bundleStorefront));
}
