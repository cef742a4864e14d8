import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type DocumentNode } from 'graphql';
import { publicError, type ErrorFormatter, type PublicErrorCode } from './errors.js';

/** Apollo refuses a few malformed requests (an APQ hash that does not match its query, an
 *  unsupported persisted-query version) with a 400 and no code. They are the client's mistake,
 *  so they keep their message, as BAD_REQUEST, instead of being masked as internal errors. */
export function keepRequestRefusals(format: ErrorFormatter): ErrorFormatter {
  return (formatted, error) => {
    const refusal = error instanceof GraphQLError && !error.originalError && !error.extensions.code && (error.extensions.http as { status?: number } | undefined)?.status === 400;
    return refusal ? { message: formatted.message, extensions: { code: 'BAD_REQUEST' satisfies PublicErrorCode } } : format(formatted, error);
  };
}

/** Why no operation of `document` could be chosen for `operationName`, naming the ones there are. */
export function operationResolutionMessage(document: DocumentNode, operationName: string | null | undefined): string {
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  const names = operations.map((operation) => operation.name?.value ?? '(anonymous)');
  if (operations.length === 0) return 'The document defines no operation: send a query, mutation or subscription';
  if (operationName) {
    const has = names.length === 1 ? `only ${names[0] === '(anonymous)' ? 'an anonymous operation; leave operationName out' : names[0]}` : names.join(', ');
    return `Unknown operation named "${operationName}": the document defines ${has}`;
  }
  return `The document defines several operations (${names.join(', ')}): choose one with operationName`;
}

/**
 * A document whose operation cannot be chosen (an operationName it does not define, or several
 * operations and no name) is the client's mistake: a 400 OPERATION_RESOLUTION_FAILURE saying
 * which operations there are. Apollo Server says so itself when it executes a schema, but the
 * gateway's executor throws an error of its own, which would be masked as a 500.
 */
export function operationResolutionPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request }) {
          if (operation) return;
          throw publicError('OPERATION_RESOLUTION_FAILURE', operationResolutionMessage(document, request.operationName), { http: { status: 400 } });
        },
      };
    },
  };
}
