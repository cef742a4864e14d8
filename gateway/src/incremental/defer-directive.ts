import type { ApolloServerOptionsWithGateway } from '@apollo/server';
import { DirectiveLocation, GraphQLBoolean, GraphQLDirective, GraphQLNonNull, GraphQLSchema, GraphQLString } from 'graphql';

type Gateway = ApolloServerOptionsWithGateway<never>['gateway'];

/** @defer as the incremental delivery RFC (and Apollo's API schemas) declare it. */
const deferDirective = new GraphQLDirective({
  name: 'defer',
  description: 'Delivers this fragment after the rest of the response, when the client accepts multipart/mixed;deferSpec=20220824; otherwise ignored.',
  locations: [DirectiveLocation.FRAGMENT_SPREAD, DirectiveLocation.INLINE_FRAGMENT],
  args: {
    label: { type: GraphQLString, description: 'Names the fragment in its incremental part.' },
    if: { type: new GraphQLNonNull(GraphQLBoolean), defaultValue: true, description: 'false delivers the fragment with the rest.' },
  },
});

export function withDeferDirective(schema: GraphQLSchema): GraphQLSchema {
  if (schema.getDirective('defer')) return schema;
  const config = schema.toConfig();
  return new GraphQLSchema({ ...config, directives: [...config.directives, deferDirective] });
}

/**
 * @apollo/gateway hands Apollo Server an API schema without @defer (graphql-js 16 does not specify
 * it), so a query using it would fail validation. Apollo Server validates against the schema given
 * here, which declares it; the gateway's planner ignores @defer and answers the whole result at
 * once, which is right for a client that does not accept multipart. Those that do are served
 * before Apollo Server (incremental/index.ts).
 */
export function declaringDefer(gateway: Gateway): Gateway {
  return {
    load: (options) => gateway.load(options),
    stop: () => gateway.stop(),
    onSchemaLoadOrUpdate: (callback) => gateway.onSchemaLoadOrUpdate(({ apiSchema, coreSupergraphSdl }) => callback({ apiSchema: withDeferDirective(apiSchema), coreSupergraphSdl })),
  };
}
