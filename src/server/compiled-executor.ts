import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import { DocumentNode, execute, GraphQLError, GraphQLSchema, OperationDefinitionNode, SourceLocation, valueFromASTUntyped } from 'graphql';
import { CompiledQuery, compileQuery, isCompiledQuery } from 'graphql-jit';

/*
 * Queries run as compiled JavaScript (graphql-jit) instead of graphql-js's interpreter. A page of 100 CIs with
 * their 500 edges resolves some 3,600 fields and an impact answer hundreds of thousands; graphql-js spends a
 * few microseconds on each (argument values, resolve info, completion), which was a third of the API's time
 * beside the statement. Apollo Server takes a custom executor only through its gateway interface, so this is
 * a "gateway" serving one local schema; parsing, validation, the query limits and every plugin are Apollo's as
 * before. Mutations and subscriptions keep graphql-js: their time is the database's, and a mutation's input is
 * often one-off inline literals that would be compiled for a single use.
 */

/**
 * Compiled documents per operation name (null: graphql-jit declined it); a document Apollo evicts from its store
 * takes its compilations with it.
 */
type Compilations = Map<string, CompiledQuery | null>;

export interface CompiledExecutorStats {
  compiled: number;
  /** Documents graphql-jit declined to compile: graphql-js runs them, as it runs mutations. */
  declined: number;
}

export function compiledExecutor(schema: GraphQLSchema, stats: CompiledExecutorStats = { compiled: 0, declined: 0 }): GatewayExecutor {
  const byDocument = new WeakMap<DocumentNode, Compilations>();
  return async ({ document, operation, operationName, context, request }) => {
    const interpret = () => execute({ schema, document, operationName, contextValue: context, variableValues: request.variables });
    if (operation.operation !== 'query') return interpret();
    let compilations = byDocument.get(document);
    if (!compilations) byDocument.set(document, (compilations = new Map()));
    const key = operationName ?? '';
    let compiled = compilations.get(key);
    if (compiled === undefined) {
      const result = compileQuery(schema, document, operationName ?? undefined);
      compiled = isCompiledQuery(result) ? result : null;
      if (compiled) stats.compiled++;
      else stats.declined++;
      compilations.set(key, compiled);
    }
    if (!compiled) return interpret();
    const result = await compiled.query(undefined, context, withDefaults(operation, request.variables));
    return result.errors ? { ...result, errors: result.errors.map(asGraphQLError) } : result;
  };
}

/** Every constant default of a variable not given. graphql-jit 0.8.9 leaves defaults of non-null variables out (`$first: Int! = 50`). */
function withDefaults(operation: OperationDefinitionNode, variables: Record<string, unknown> | undefined): Record<string, unknown> {
  const given = variables ?? {};
  let out: Record<string, unknown> | null = null;
  for (const def of operation.variableDefinitions ?? []) {
    const name = def.variable.name.value;
    if (!def.defaultValue || Object.prototype.hasOwnProperty.call(given, name)) continue;
    // The literal as a client would have sent it: graphql-jit then coerces it like any other value.
    (out ??= { ...given })[name] = valueFromASTUntyped(def.defaultValue);
  }
  return out ?? given;
}

/**
 * graphql-jit's errors are GraphQLErrors with no `extensions` when the cause had none (a driver failure, a
 * variable of the wrong type), which Apollo's error handling reads unconditionally. The same error as
 * graphql-js would have made it, locations and cause kept, so the error formatter sees what it always saw.
 */
function asGraphQLError(e: GraphQLError): GraphQLError {
  if (e.extensions) return e;
  const copy = new GraphQLError(e.message, { path: e.path, originalError: e.originalError ?? undefined });
  if (e.locations) (copy as { locations?: readonly SourceLocation[] }).locations = e.locations;
  return copy;
}

/** Apollo's gateway interface over one local schema, executing with `executor`. */
export function localGateway(schema: GraphQLSchema, executor: GatewayExecutor): GatewayInterface {
  const listeners = new Set<(s: { apiSchema: GraphQLSchema; coreSupergraphSdl: string }) => void>();
  return {
    onSchemaLoadOrUpdate(callback) {
      listeners.add(callback);
      return () => listeners.delete(callback);
    },
    async load() {
      // No supergraph: the SDL is only read by Apollo's schema reporting, which is not used.
      for (const listener of listeners) listener({ apiSchema: schema, coreSupergraphSdl: '' });
      return { executor };
    },
    async stop() {
      listeners.clear();
    },
  };
}
