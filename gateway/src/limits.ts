import type { ApolloServerPlugin } from '@apollo/server';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { MaxTokensParserWLexer } from '@escape.tech/graphql-armor-max-tokens';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import { GraphQLError, Kind, validate, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode, type ValidationRule } from 'graphql';
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

export type TokenCounter = (body: unknown) => Promise<void>;

/**
 * Counts tokens before Apollo parses (it runs from the context function, the one hook that comes
 * first), so a megabyte of tokens is refused without building its syntax tree. The texts found
 * within the limit are remembered (up to 4 MiB of them, least recently used out first): clients
 * send the same few operations again and again, and lexing each one every time was 2% of the
 * gateway's CPU.
 */
export function tokenCounter(limits: OperationLimits): TokenCounter {
  const withinLimit = new InMemoryLRUCache<true>({ maxSize: 4 * 2 ** 20, sizeCalculation: (_value, query) => query.length });
  return async (body) => {
    for (const item of Array.isArray(body) ? body : [body]) {
      const query = (item as { query?: unknown } | null)?.query;
      if (typeof query !== 'string' || (await withinLimit.get(query))) continue;
      try {
        new MaxTokensParserWLexer(query, { n: limits.maxTokens }).parseDocument();
      } catch (error) {
        if (error instanceof GraphQLError && /Token limit/.test(error.message)) {
          throw limitError('MAX_TOKENS_EXCEEDED', `The operation has more than ${limits.maxTokens} tokens`);
        }
        // Any other syntax error is reported by Apollo's own parse, with its usual code.
        continue;
      }
      await withinLimit.set(query, true);
    }
  };
}

type Refusal = () => GraphQLError;

/** Checks one operation against the limits: the error to refuse it with, or undefined. Shared by
 *  HTTP requests (operationLimitsPlugin) and subscriptions (subscriptions/engine.ts). */
export type OperationChecker = (schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode | undefined, variables: Record<string, unknown>) => GraphQLError | undefined;

export function createOperationChecker(limits: OperationLimits): OperationChecker {
  // graphql-armor's rules, run one at a time so each refusal gets its own code.
  const depthRule = maxDepthRule({ n: limits.maxDepth, ignoreIntrospection: false });
  const introspectionDepthRule = maxDepthRule({ n: limits.maxIntrospectionDepth, ignoreIntrospection: false });
  const rules: [ValidationRule, LimitErrorCode][] = [
    [maxAliasesRule({ n: limits.maxAliases }), 'MAX_ALIASES_EXCEEDED'],
    [maxDirectivesRule({ n: limits.maxDirectives }), 'MAX_DIRECTIVES_EXCEEDED'],
  ];
  /** Why an operation of a document is refused for its shape, or null: it depends on nothing else.
   *  The refusal is kept as a function, so each request throws an error of its own. */
  const structuralRefusal = (schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode | undefined): Refusal | null => {
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
      if (error) {
        const message = error.message.replace(/^Syntax Error: /, '');
        return () => limitError(code, message);
      }
    }
    if (!operation) return null;
    const rootFields = rootFieldNames(document, operation).length;
    if (rootFields > limits.maxRootFields) {
      return () => limitError('MAX_ROOT_FIELDS_EXCEEDED', `The operation selects ${rootFields} root fields; the limit is ${limits.maxRootFields}`);
    }
    return null;
  };
  // Apollo hands every request of the same text the same parsed document (its document store),
  // so the verdict is kept with the document, per operation: three validation passes per request
  // were 4% of the gateway's CPU. A new supergraph brings new documents, and the old verdicts go
  // with the old documents.
  const verdicts = new WeakMap<DocumentNode, Map<OperationDefinitionNode | undefined, Refusal | null>>();
  return (schema, document, operation, variables) => {
    let known = verdicts.get(document);
    if (!known) verdicts.set(document, (known = new Map()));
    if (!known.has(operation)) known.set(operation, structuralRefusal(schema, document, operation));
    const refusal = known.get(operation);
    if (refusal) return refusal();
    if (!operation) return undefined;
    const cost = estimateCost(schema, document, operation, variables);
    if (cost > limits.maxCost) {
      return limitError('COST_LIMIT_EXCEEDED', `The operation's estimated cost is ${cost}; the limit is ${limits.maxCost}. Ask for smaller pages.`);
    }
    return undefined;
  };
}

/** How a subscription sent as a plain HTTP request is answered: which transports to use instead. */
export const SUBSCRIPTION_TRANSPORTS_MESSAGE =
  'Subscriptions are served over WebSocket (graphql-transport-ws) at /graphql, or over HTTP with Accept: multipart/mixed;subscriptionSpec="1.0"';

export function operationLimitsPlugin(limits: OperationLimits): ApolloServerPlugin {
  const check = createOperationChecker(limits);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, schema, request }) {
          if (operation?.operation === 'subscription') throw publicError('BAD_REQUEST', SUBSCRIPTION_TRANSPORTS_MESSAGE, { http: { status: 400 } });
          const refusal = check(schema, document, operation, request.variables ?? {});
          if (refusal) throw refusal;
        },
      };
    },
  };
}
