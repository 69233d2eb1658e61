import { GraphQLError } from 'graphql';

/** No valid credentials: HTTP 401, so clients and proxies know to authenticate. */
export const unauthenticated = (message: string) =>
  new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: new Map([['www-authenticate', 'Bearer realm="cmdb"']]) } } });

/** Authenticated, but this principal may not do this. */
export const forbidden = (message: string, field?: string) =>
  new GraphQLError(message, { extensions: { code: 'FORBIDDEN', ...(field ? { field } : {}) } });

/** A dependency (Neo4j) does not answer: HTTP 503, worth retrying. */
export const serviceUnavailable = (message: string) =>
  new GraphQLError(message, { extensions: { code: 'SERVICE_UNAVAILABLE', http: { status: 503, headers: new Map([['retry-after', '5']]) } } });
