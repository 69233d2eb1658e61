import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, OperationDefinitionNode } from 'graphql';
import type { CmdbMetrics } from '../observability/metrics';
import type { RequestContext } from '../resolvers/context';

function firstRootField(operation: OperationDefinitionNode): string | null {
  const field = operation.selectionSet.selections.find((s) => s.kind === Kind.FIELD);
  return field && field.kind === Kind.FIELD ? field.name.value : null;
}

/**
 * Records what each GraphQL request was (operation, type, error codes) into its context's observation,
 * which the request log line reads, and observes the operation latency and error metrics.
 */
export function observabilityPlugin(metrics: CmdbMetrics): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = process.hrtime.bigint();
      const o = contextValue.observation;
      return {
        async didResolveOperation({ operation, operationName }) {
          o.operationName = operationName ?? null;
          o.operationType = operation?.operation ?? null;
          o.rootField = operation ? firstRootField(operation) : null;
        },
        async didEncounterErrors({ errors }) {
          for (const e of errors) {
            const code = e.extensions?.code;
            o.errorCodes.push(typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR');
          }
        },
        async willSendResponse() {
          metrics.graphqlOperation(o.operationName, o.operationType ?? 'unknown', o.rootField, o.errorCodes, Number(process.hrtime.bigint() - started) / 1e9);
        },
      };
    },
  };
}
