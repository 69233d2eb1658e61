import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { GraphQLError } from 'graphql';
import { databaseFailure } from './format-error';

/** Answers with a GraphQL-shaped error body, never Express's HTML page. */
export function sendError(res: Response, status: number, code: string, message: string, extra: Record<string, unknown> = {}): void {
  res.status(status).type('application/json').send(JSON.stringify({ errors: [{ message, extensions: { code, ...extra } }] }));
}

/** A thrown GraphQLError (authentication) as its HTTP answer. */
export function sendGraphQLError(res: Response, err: GraphQLError): void {
  const http = (err.extensions?.http ?? {}) as { status?: number; headers?: Map<string, string> };
  for (const [k, v] of http.headers ?? []) res.setHeader(k, v);
  const { http: _http, ...extensions } = err.extensions ?? {};
  res.status(http.status ?? 400).type('application/json').send(JSON.stringify({ errors: [{ message: err.message, extensions }] }));
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/**
 * Refuses requests whose Host header is not one of the API's names, so a page on another site cannot reach a
 * hub on 127.0.0.1 through DNS rebinding. `allowed` null accepts any host (a hub bound to all interfaces
 * without CMDB_ALLOWED_HOSTS; the server warns at start).
 */
export function hostCheck(allowed: readonly string[] | null): RequestHandler {
  const names = allowed ? new Set(allowed.map((h) => h.toLowerCase())) : null;
  return (req, res, next) => {
    if (!names) return next();
    const host = String(req.headers.host ?? '').toLowerCase();
    const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':', 1)[0];
    if (names.has(name) || names.has(host)) return next();
    sendError(res, 421, 'BAD_REQUEST', `Host '${host.slice(0, 100)}' is not one of this API's names; set CMDB_ALLOWED_HOSTS to serve it`);
  };
}

export const defaultAllowedHosts = (bindHost: string): string[] | null =>
  bindHost === '0.0.0.0' || bindHost === '::' ? null : [...new Set([...LOOPBACK_NAMES, bindHost.toLowerCase()])];

/** At most `max` operations in one batched request. */
export function batchLimit(max: number): RequestHandler {
  return (req, res, next) => {
    if (Array.isArray(req.body) && req.body.length > max) {
      return sendError(res, 400, 'BAD_REQUEST', `a batch may hold at most ${max} operations, got ${req.body.length}`, { limit: 'batch', max, value: req.body.length });
    }
    next();
  };
}

/** Body-parser failures (too large, malformed JSON) as GraphQL-shaped JSON, without a stack trace. */
export const bodyErrors: ErrorRequestHandler = (err, _req, res, next) => {
  const e = err as { type?: string; limit?: number; length?: number; status?: number };
  if (e.type === 'entity.too.large') {
    return sendError(res, 413, 'PAYLOAD_TOO_LARGE', `the request body has ${e.length} bytes; the limit is ${e.limit} for this principal (send reconcile batches of at most 5,000 items)`, { limit: 'body', max: e.limit, value: e.length });
  }
  if (e.type === 'entity.parse.failed') return sendError(res, 400, 'BAD_REQUEST', 'the request body is not valid JSON');
  if (e.type && e.status && e.status < 500) return sendError(res, e.status, 'BAD_REQUEST', `the request body could not be read (${e.type})`);
  next(err);
};

/**
 * The last handler of every route outside GraphQL (the webhook): a failure is answered as JSON, never Express's HTML
 * page with a stack trace. Database unavailability is 503 (retry later, as Alertmanager does); anything else is
 * logged in full and answered without details, except in development.
 */
export function unexpectedErrors(log: (msg: string, err: unknown) => void, development: boolean): ErrorRequestHandler {
  return (err, _req, res, next) => {
    if (res.headersSent) return next(err);
    const db = databaseFailure(err);
    log(db ? `database failure while answering a request: ${db.code}` : 'unexpected error while answering a request', err);
    if (db) return sendError(res, db.code === 'SERVICE_UNAVAILABLE' ? 503 : 500, db.code, db.message);
    sendError(res, 500, 'INTERNAL_SERVER_ERROR', development ? String((err as Error)?.message ?? err) : 'Internal server error');
  };
}
