import { GraphQLError } from 'graphql';
import { MiddlewareFn } from 'type-graphql';
import { AmbiguousReferenceError, ConflictError, InputError, NotFoundError } from '../model/field-error';
import { BusyError } from '../runtime/concurrency-gate';

/** Error codes returned in `extensions.code`. */
export enum ErrorCode {
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  FORBIDDEN = 'FORBIDDEN',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  TOO_MANY_REQUESTS = 'TOO_MANY_REQUESTS',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

/** Domain errors from services become GraphQL errors with a code; anything else passes through to be masked. */
export function toGraphQLError(err: unknown): unknown {
  if (err instanceof InputError) {
    return new GraphQLError(err.message, {
      extensions: { code: ErrorCode.BAD_USER_INPUT, field: err.errors[0]?.field, errors: err.errors },
    });
  }
  if (err instanceof BusyError) {
    return new GraphQLError(err.message, { extensions: { code: ErrorCode.TOO_MANY_REQUESTS } });
  }
  if (err instanceof AmbiguousReferenceError) {
    return new GraphQLError(err.message, { extensions: { code: ErrorCode.BAD_USER_INPUT, field: err.field, candidates: err.candidates } });
  }
  if (err instanceof ConflictError) {
    return new GraphQLError(err.message, { extensions: { code: ErrorCode.CONFLICT, field: err.field, existing: err.existing } });
  }
  if (err instanceof NotFoundError) {
    return new GraphQLError(err.message, { extensions: { code: ErrorCode.NOT_FOUND, field: err.field } });
  }
  return err;
}

export const MapDomainErrors: MiddlewareFn = async (_action, next) => {
  try {
    return await next();
  } catch (err) {
    throw toGraphQLError(err);
  }
};
