import { createClient, type Client } from 'graphql-ws';
import { StorefrontOrderUpdatesDocument, type OrderDetailsFragment } from './generated/graphql.js';

/** ws(s)://<the page's host>/graphql for the GraphQL endpoint the page names. */
function webSocketUrl(endpoint: string): string {
  const url = new URL(endpoint, location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/**
 * Keeps the order on screen current: one subscription (orderUpdated) for the order shown, over one
 * graphql-ws connection per signed-in token, so an admin shipping it or recovery finishing it
 * shows up without a reload. Showing another order, or signing out, ends the previous one.
 */
export function createLiveOrder(endpoint: string, token: () => string | undefined, onUpdate: (order: OrderDetailsFragment) => void) {
  let client: Client | undefined;
  let clientToken: string | undefined;
  let watching: { id: string; stop: () => void } | undefined;
  const stop = () => {
    watching?.stop();
    watching = undefined;
  };
  return {
    watch(id: string): void {
      const value = token();
      if (watching?.id === id && clientToken === value) return;
      stop();
      if (!value) return;
      if (!client || clientToken !== value) {
        void client?.dispose();
        client = createClient({ url: webSocketUrl(endpoint), connectionParams: { authorization: `Bearer ${value}` }, retryAttempts: 5 });
        clientToken = value;
      }
      const unsubscribe = client.subscribe<{ orderUpdated: OrderDetailsFragment }>(
        { query: StorefrontOrderUpdatesDocument.toString(), variables: { id } },
        {
          next: ({ data }) => {
            if (data?.orderUpdated && watching?.id === id) onUpdate(data.orderUpdated);
          },
          // The page still shows the order as last read; a reload reads it again.
          error: () => undefined,
          complete: () => undefined,
        },
      );
      watching = { id, stop: unsubscribe };
    },
    stop,
  };
}
