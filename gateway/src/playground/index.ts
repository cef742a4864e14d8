import { createHash } from 'node:crypto';
import type { Express, Request } from 'express';
import { sendHttpError } from '../../../lib/http.js';
import { assertCanBundle, bundleInMemory, bundleOnce, bundleRouter } from '../bundle.js';
import { loadExamples } from './examples.js';
import type { PlaygroundPageConfig } from './page-config.js';

export interface PlaygroundOptions {
  enabled: boolean;
  /** A token for the Authorization header of every example tab (`npm start` passes its demo customer's). */
  token?: string;
}

const ASSETS_PATH = '/playground/assets';
const ENTRY = 'gateway/playground/main.tsx';

/** Nothing on the page may come from anywhere but the gateway; Monaco injects its styles inline. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const bundlePlayground = () =>
  bundleOnce('playground', () =>
    bundleInMemory({
      entryPoints: {
        playground: `./${ENTRY}`,
        'editor.worker': 'monaco-editor/esm/vs/editor/editor.worker.js',
        'json.worker': 'monaco-editor/esm/vs/language/json/json.worker.js',
        'graphql.worker': 'monaco-graphql/esm/graphql.worker.js',
      },
      format: 'iife',
      jsx: 'automatic',
      loader: { '.ttf': 'dataurl' },
    }),
  );

/** A browser asking for a page (Accept prefers text/html over JSON), not a GraphQL client. */
export function wantsPage(req: Request): boolean {
  return req.accepts(['application/json', 'text/html']) === 'text/html';
}

/**
 * GraphiQL at GET / and GET /graphql for browsers. It replaces Apollo's landing page, which
 * loads its UI from a CDN: every asset here is bundled from node_modules and served by the
 * gateway, so the playground works with no internet access.
 */
export function mountPlayground(app: Express, options: PlaygroundOptions): void {
  if (!options.enabled) {
    app.get('/', (req, res, next) =>
      wantsPage(req) ? sendHttpError(res, 404, 'NOT_FOUND', 'The playground is switched off on this gateway (PLAYGROUND=false)') : next(),
    );
    return;
  }
  assertCanBundle('PLAYGROUND', ENTRY);
  const page = renderPage(pageConfig(options.token));
  app.get(['/', '/graphql'], (req, res, next) => {
    if (!wantsPage(req)) return next();
    res.set({ 'content-security-policy': CONTENT_SECURITY_POLICY, 'cache-control': 'no-store' }).type('html').send(page);
  });
  app.use(ASSETS_PATH, bundleRouter(bundlePlayground));
}

function pageConfig(token: string | undefined): PlaygroundPageConfig {
  const headers = JSON.stringify({ Authorization: token ? `Bearer ${token}` : '' }, null, 2);
  const tabs = loadExamples().map((example) => ({ ...example, headers }));
  const fingerprint = createHash('sha256').update(JSON.stringify(tabs)).digest('base64url').slice(0, 12);
  return { endpoint: '/graphql', assetsPath: ASSETS_PATH, tabs, defaultHeaders: headers, storageNamespace: `playground:${fingerprint}:` };
}

function renderPage(config: PlaygroundPageConfig): string {
  // "<" is escaped so no string in the config can close the script element early.
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>GraphQL playground · ordering supergraph</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${ASSETS_PATH}/playground.css">
<style>html, body, #playground { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="playground"></div>
<script id="playground-config" type="application/json">${json}</script>
<script src="${ASSETS_PATH}/playground.js"></script>
</body>
</html>
`;
}
