import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, GraphQLSchema, separateOperations, ValidationRule } from 'graphql';
import { ComplexityEstimator, fieldExtensionsEstimator, getComplexity } from 'graphql-query-complexity';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';

/** Static limits checked before a request executes; every README example and GraphiQL tab fits in the defaults. */
export interface QueryLimits {
  depth: number;
  aliases: number;
  directives: number;
  /** Estimated cost: 1 per field, a list field's selection multiplied by its `first` (or `limit`) argument. */
  cost: number;
  /** Lexical tokens of the query text (variables do not count: send big payloads as variables). */
  tokens: number;
  /** Operations in one batched HTTP request (a JSON array). */
  batch: number;
}

export const DEFAULT_LIMITS: QueryLimits = { depth: 10, aliases: 15, directives: 50, cost: 20_000, tokens: 1000, batch: 10 };

/**
 * A list field costs its selection times the page it asks for. `first` (connections, relationships, history)
 * and `limit` (neighborhood, paths, root causes) are the page arguments; defaults count, so an unbounded-looking
 * query is priced as what it will really fetch. `impact` bounds itself (its limit, its depth, the expensive-operation
 * queue) and is priced as its selection.
 */
const pageEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  const page = typeof args.first === 'number' ? args.first : typeof args.limit === 'number' ? args.limit : null;
  return 1 + (page === null ? childComplexity : Math.max(1, page) * childComplexity);
};

/** Armor's rules throw by default, which Apollo turns into a 500; reporting makes them 400 validation errors. */
const report = { propagateOnRejection: false, onReject: [(ctx: { reportError(e: GraphQLError): void }, err: GraphQLError) => ctx.reportError(err)] };

export function limitValidationRules(limits: QueryLimits): ValidationRule[] {
  return [
    maxDepthRule({ n: limits.depth, ...report, errorMessage: `query depth exceeds the limit of ${limits.depth}` } as never),
    maxAliasesRule({ n: limits.aliases, ...report } as never),
    maxDirectivesRule({ n: limits.directives, ...report } as never),
  ] as unknown as ValidationRule[];
}

/**
 * Pricing reads the variables first: a variable of the wrong type is the client's mistake (400, BAD_USER_INPUT, the
 * message naming the variable and why), not an internal error of the plugin.
 */
function priced(price: () => number): number {
  try {
    return price();
  } catch (err) {
    if (!(err instanceof GraphQLError)) throw err;
    throw new GraphQLError(err.message, { nodes: err.nodes, extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
  }
}

/** Prices the operation that will run (with its variables) and refuses it above the limit. */
export function costLimitPlugin(schema: GraphQLSchema, limits: QueryLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operationName }) {
          const operations = separateOperations(document);
          const query = operationName ? operations[operationName] : Object.values(operations)[0];
          if (!query) return;
          const cost = priced(() => getComplexity({ schema, query, variables: request.variables ?? {}, estimators: [fieldExtensionsEstimator(), pageEstimator] }));
          if (cost > limits.cost) {
            throw new GraphQLError(`query cost ${cost} exceeds the limit of ${limits.cost}: ask for smaller pages (first, limit) or fewer nested lists`, {
              extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'cost', max: limits.cost, value: cost, http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}
