import { defineConfig } from '@graphql-hive/gateway';

/**
 * Hive Gateway as the bench runs it beside ours (`hive-gateway supergraph <file> -c <this>`):
 * the same supergraph and subgraphs. Like our gateway, it forwards the caller's token, which
 * every subgraph checks itself; warnings only, as ours logs in production. @defer is on, as on ours
 * (its API schema declares it).
 */
export const gatewayConfig = defineConfig({
  propagateHeaders: {
    fromClientToSubgraphs: ({ request }) => ({ authorization: request.headers.get('authorization') }),
  },
  logging: 'warn',
  deferStream: true,
});
