import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, SelectionSetNode } from 'graphql';
import { unauthenticated } from '../auth/auth-errors';
import type { RequestContext } from '../resolvers/context';

function asksSchema(set: SelectionSetNode, fragments: Record<string, SelectionSetNode>, seen = new Set<string>()): boolean {
  return set.selections.some((s) => {
    if (s.kind === Kind.FIELD) return s.name.value === '__schema' || s.name.value === '__type';
    if (s.kind === Kind.INLINE_FRAGMENT) return asksSchema(s.selectionSet, fragments, seen);
    if (seen.has(s.name.value) || !fragments[s.name.value]) return false;
    seen.add(s.name.value);
    return asksSchema(fragments[s.name.value], fragments, seen);
  });
}

/** Introspection is for authenticated principals only: anonymous viewers (CMDB_ANONYMOUS_ROLE) may query, not map the schema. */
export function introspectionGuard(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ contextValue }) {
      return {
        async didResolveOperation({ operation, document }) {
          if (contextValue.principal.kind !== 'anonymous' || !operation) return;
          const fragments = Object.fromEntries(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d.selectionSet]] : [])));
          if (asksSchema(operation.selectionSet, fragments)) throw unauthenticated('introspection needs authentication: send a token');
        },
      };
    },
  };
}
