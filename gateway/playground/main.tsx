import { createRoot } from 'react-dom/client';
import { GraphiQL, type GraphiQLProps } from 'graphiql';
import 'graphiql/style.css';
import type { PlaygroundPageConfig } from '../src/playground/page-config.js';
import { createClient, type Client } from 'graphql-ws';
import { isSubscription, operationNameFor } from './operation-name.js';
import { namespacedStorage } from './storage.js';
import { DEFER_ACCEPT, multipartPayloads } from './multipart.js';

const config = JSON.parse(document.getElementById('playground-config')!.textContent!) as PlaygroundPageConfig;

// Monaco runs its language services in workers; the gateway serves them next to this bundle
// instead of the CDN GraphiQL's own setup would use.
(globalThis as { MonacoEnvironment?: unknown }).MonacoEnvironment = {
  getWorker: (_id: string, label: string) =>
    new Worker(`${config.assetsPath}/${label === 'json' || label === 'graphql' ? label : 'editor'}.worker.js`),
};

/** One graphql-ws connection per Authorization header the headers editor holds: the token is the
 *  connection's, so a changed token opens a new one. */
let live: { authorization: string | undefined; client: Client } | undefined;
function subscriptionClient(authorization: string | undefined): Client {
  if (live && live.authorization === authorization) return live.client;
  void live?.client.dispose();
  const url = new URL(config.endpoint, location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const client = createClient({ url: url.toString(), connectionParams: authorization ? { authorization } : {}, retryAttempts: 3 });
  live = { authorization, client };
  return client;
}

/** Subscriptions go over WebSocket (graphql-transport-ws); everything else is a JSON POST: not a
 *  "simple" request, so Apollo's CSRF prevention lets it through. An operation with @defer accepts
 *  multipart, so its deferred parts show as they arrive. */
const fetcher: GraphiQLProps['fetcher'] = async (params, options) => {
  const operationName = operationNameFor(params.query, params.operationName);
  if (isSubscription(params.query, operationName)) {
    const headers = (options?.headers ?? {}) as Record<string, string>;
    const authorization = headers.Authorization ?? headers.authorization;
    return subscriptionClient(authorization || undefined).iterate({ query: params.query, variables: params.variables ?? undefined, operationName }) as never;
  }
  const response = await fetch(config.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: params.query.includes('@defer') ? DEFER_ACCEPT : 'application/json', ...options?.headers },
    body: JSON.stringify({ ...params, operationName }),
  });
  if (response.headers.get('content-type')?.startsWith('multipart/mixed')) return multipartPayloads(response) as never;
  return response.json();
};

const storage = namespacedStorage(window.localStorage, config.storageNamespace);
// GraphiQL fills the first tab's variables editor from initialVariables, not from defaultTabs:
// on a first visit (no saved tabs) the first example's variables are handed over explicitly.
const firstVisit = storage.getItem('graphiql:tabState') === null;

createRoot(document.getElementById('playground')!).render(
  <GraphiQL
    fetcher={fetcher}
    defaultTabs={config.tabs}
    defaultHeaders={config.defaultHeaders}
    initialVariables={firstVisit ? config.tabs[0]?.variables : undefined}
    defaultEditorToolsVisibility="variables"
    storage={storage}
  />,
);
