import { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { ErrorCode } from '../resolvers/errors';

const KNOWN_CODES = new Set<string>([
  ...Object.values(ErrorCode),
  'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED', 'OPERATION_RESOLUTION_FAILURE', 'QUERY_TOO_COMPLEX', 'PAYLOAD_TOO_LARGE',
]);

/**
 * Errors we raised on purpose keep their message and code. Anything else (a driver failure,
 * a bug) is logged in full and returned as INTERNAL_SERVER_ERROR without details, except in
 * development.
 */
const UNAVAILABLE = new Set(['ServiceUnavailable', 'SessionExpired']);
const TIMED_OUT = /^Neo\.ClientError\.Transaction\.TransactionTimedOut/;

/** Database failures a client can act on: retry later (503), or ask for less. */
export function databaseFailure(error: unknown): { code: string; message: string } | null {
  const cause = unwrapResolverError(error) as { code?: unknown } | null;
  const code = typeof cause?.code === 'string' ? cause.code : '';
  if (UNAVAILABLE.has(code)) return { code: ErrorCode.SERVICE_UNAVAILABLE, message: 'the database does not answer; retry shortly' };
  if (TIMED_OUT.test(code)) return { code: 'QUERY_TIMEOUT', message: 'the query ran past the transaction time limit and was stopped; ask for less (a smaller depth, limit or page)' };
  return null;
}

export function createErrorFormatter(development: boolean, log: (msg: string, err: unknown) => void) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && KNOWN_CODES.has(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) return formatted;
    const db = databaseFailure(error);
    if (db) {
      log(`database failure while executing a GraphQL request: ${db.code}`, unwrapResolverError(error));
      return { message: db.message, locations: formatted.locations, path: formatted.path, extensions: { code: db.code } };
    }
    log('unexpected error while executing a GraphQL request', unwrapResolverError(error));
    if (development) return formatted;
    return {
      message: 'Internal server error',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}
