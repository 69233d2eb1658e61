import { randomUUID } from 'crypto';
import type { IncomingMessage, ServerResponse } from 'http';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { CmdbMetrics } from '../observability/metrics';
import { newRequestObservation, RequestObservation } from '../resolvers/request-observation';

/** Routes with their own label and log handling; anything else is `other` (bounded metric labels). */
const ROUTES = ['/graphql', '/graphiql', '/healthz', '/readyz', '/metrics'] as const;
/** Polled by orchestrators and Prometheus every few seconds: logged at debug level unless they fail. */
const PROBES = new Set(['/healthz', '/readyz', '/metrics']);
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

type Req = IncomingMessage & { id?: unknown; originalUrl?: string };
type Res = ServerResponse & { locals?: { graphql?: RequestObservation } };

export function routeOf(url: string | undefined): string {
  const path = (url ?? '/').split('?', 1)[0];
  return ROUTES.find((r) => path === r || path.startsWith(`${r}/`)) ?? 'other';
}

/** The observation the GraphQL context fills in for this response (created on first use). */
export function observationOf(res: Res): RequestObservation {
  res.locals ??= {};
  return (res.locals.graphql ??= newRequestObservation());
}

/**
 * One log line per HTTP request (pino-http) and the HTTP latency metric. The request id is the caller's
 * `x-request-id` when it is a plain token, else a new UUID, and is echoed in the response header. GraphQL
 * requests add their operation name and type, outcome and error codes; headers are left out except the
 * user agent, so no credential can reach the log even if redaction were misconfigured.
 */
export function requestLogging(logger: Logger, metrics: CmdbMetrics): RequestHandler {
  const http = pinoHttp<Req, Res>({
    logger,
    // The id as a top-level `reqId` on every line of the request, not only inside `req`.
    quietReqLogger: true,
    genReqId(req, res) {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
      res.setHeader('x-request-id', id);
      return id;
    },
    serializers: {
      req: (req: { method: string; url: string; headers: Record<string, string>; remoteAddress?: string }) => ({
        method: req.method, url: req.url, remoteAddress: req.remoteAddress, userAgent: req.headers?.['user-agent'],
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel(req, res, err) {
      if (err || res.statusCode >= 500) return 'error';
      if (res.statusCode >= 400) return 'warn';
      return PROBES.has(routeOf(req.url)) ? 'debug' : 'info';
    },
    customSuccessMessage: (req, res) => `${req.method} ${(req.originalUrl ?? req.url ?? '').split('?', 1)[0]} ${res.statusCode}`,
    customErrorMessage: (req, res, err) => `${req.method} ${(req.originalUrl ?? req.url ?? '').split('?', 1)[0]} ${res.statusCode}: ${err.message}`,
    customAttributeKeys: { responseTime: 'durationMs' },
    customSuccessObject: (_req, res, value) => withGraphql(res, value),
    customErrorObject: (_req, res, _err, value) => withGraphql(res, value),
  });
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      metrics.httpRequest(routeOf(req.originalUrl ?? req.url), req.method, res.statusCode, Number(process.hrtime.bigint() - started) / 1e9);
    });
    http(req, res, next);
  };
}

function withGraphql(res: Res, value: Record<string, unknown>): Record<string, unknown> {
  const o = res.locals?.graphql;
  if (!o) return value;
  return {
    ...value,
    ...(o.principal ? { principal: o.principal } : {}),
    graphql: {
      operationName: o.operationName,
      operationType: o.operationType,
      outcome: o.errorCodes.length ? 'error' : 'success',
      ...(o.errorCodes.length ? { errorCodes: [...new Set(o.errorCodes)] } : {}),
    },
  };
}
