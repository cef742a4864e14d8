import type { ApolloServerPlugin } from '@apollo/server';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { MaxTokensParserWLexer } from '@escape.tech/graphql-armor-max-tokens';
import { GraphQLError, Kind, validate, type DocumentNode, type OperationDefinitionNode, type ValidationRule } from 'graphql';
import { publicError, type LimitErrorCode } from '../../lib/errors.js';
import { estimateCost } from './cost.js';

/**
 * Limits on one operation, checked at the gateway before any subgraph is called. The defaults
 * leave room for the largest legitimate operation (an admin page of 100 orders with lines,
 * products and payments costs about 7,000) and refuse the amplification attacks well before
 * they cost anything.
 */
export interface OperationLimits {
  maxDepth: number;
  /** Introspection is answered by the gateway alone, and GraphiQL's own query is 21 deep. */
  maxIntrospectionDepth: number;
  maxAliases: number;
  maxRootFields: number;
  maxDirectives: number;
  maxTokens: number;
  maxCost: number;
  /** Operations in one batched HTTP request. */
  maxBatch: number;
}

export const DEFAULT_LIMITS: OperationLimits = {
  maxDepth: 10,
  maxIntrospectionDepth: 25,
  maxAliases: 30,
  maxRootFields: 10,
  maxDirectives: 20,
  maxTokens: 2_000,
  maxCost: 10_000,
  maxBatch: 10,
};

/** `code` is one of LIMIT_ERROR_CODES, which lib/errors.ts lets through to the client. */
export function limitError(code: LimitErrorCode, message: string): GraphQLError {
  return publicError(code, message, { http: { status: 400 } });
}

/** The root fields an operation selects, fragments and inline fragments included. */
export function rootFieldNames(document: DocumentNode, operation: OperationDefinitionNode): string[] {
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  const names = (selections: OperationDefinitionNode['selectionSet']['selections'], seen: Set<string>): string[] =>
    selections.flatMap((selection) => {
      if (selection.kind === Kind.FIELD) return [selection.name.value];
      if (selection.kind === Kind.INLINE_FRAGMENT) return names(selection.selectionSet.selections, seen);
      const fragment = fragments.get(selection.name.value);
      if (!fragment || seen.has(fragment.name.value)) return [];
      return names(fragment.selectionSet.selections, new Set([...seen, fragment.name.value]));
    });
  return names(operation.selectionSet.selections, new Set());
}

/**
 * Counts tokens before Apollo parses (it runs from the context function, the one hook that comes
 * first), so a megabyte of tokens is refused without building its syntax tree.
 */
export function checkTokenCount(body: unknown, limits: OperationLimits): void {
  for (const item of Array.isArray(body) ? body : [body]) {
    const query = (item as { query?: unknown } | null)?.query;
    if (typeof query !== 'string') continue;
    try {
      new MaxTokensParserWLexer(query, { n: limits.maxTokens }).parseDocument();
    } catch (error) {
      if (error instanceof GraphQLError && /Token limit/.test(error.message)) {
        throw limitError('MAX_TOKENS_EXCEEDED', `The operation has more than ${limits.maxTokens} tokens`);
      }
      // Any other syntax error is reported by Apollo's own parse, with its usual code.
    }
  }
}

export function operationLimitsPlugin(limits: OperationLimits): ApolloServerPlugin {
  // graphql-armor's rules, run one at a time so each refusal gets its own code.
  const depthRule = maxDepthRule({ n: limits.maxDepth, ignoreIntrospection: false });
  const introspectionDepthRule = maxDepthRule({ n: limits.maxIntrospectionDepth, ignoreIntrospection: false });
  const rules: [ValidationRule, LimitErrorCode][] = [
    [maxAliasesRule({ n: limits.maxAliases }), 'MAX_ALIASES_EXCEEDED'],
    [maxDirectivesRule({ n: limits.maxDirectives }), 'MAX_DIRECTIVES_EXCEEDED'],
  ];
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, schema, request }) {
          if (operation?.operation === 'subscription') {
            throw publicError('GRAPHQL_VALIDATION_FAILED', 'This supergraph has no subscriptions', { http: { status: 400 } });
          }
          const introspectionOnly = operation?.selectionSet.selections.every((s) => s.kind === Kind.FIELD && s.name.value.startsWith('__'));
          for (const [rule, code] of [[introspectionOnly ? introspectionDepthRule : depthRule, 'MAX_DEPTH_EXCEEDED'] as const, ...rules]) {
            let error: GraphQLError | undefined;
            try {
              [error] = validate(schema, document, [rule]);
            } catch (thrown) {
              // graphql-armor rejects by throwing from inside validation.
              if (!(thrown instanceof GraphQLError)) throw thrown;
              error = thrown;
            }
            if (error) throw limitError(code, error.message.replace(/^Syntax Error: /, ''));
          }
          if (!operation) return;
          const rootFields = rootFieldNames(document, operation).length;
          if (rootFields > limits.maxRootFields) {
            throw limitError('MAX_ROOT_FIELDS_EXCEEDED', `The operation selects ${rootFields} root fields; the limit is ${limits.maxRootFields}`);
          }
          const cost = estimateCost(schema, document, operation, request.variables ?? {});
          if (cost > limits.maxCost) {
            throw limitError('COST_LIMIT_EXCEEDED', `The operation's estimated cost is ${cost}; the limit is ${limits.maxCost}. Ask for smaller pages.`);
          }
        },
      };
    },
  };
}
