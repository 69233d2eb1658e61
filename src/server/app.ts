import { createServer, Server } from 'http';
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { CompiledExecutorStats, compiledExecutor, localGateway } from './compiled-executor';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { Catalog } from '../model/catalog';
import { Neo4jClient } from '../graph/client';
import { buildCmdbSchema } from '../resolvers/schema';
import { createRequestContext, RequestContext, RequestContextOptions } from '../resolvers/context';
import { HealthSnapshots } from '../services/health-snapshots';
import { TokenCache } from '../auth/token-cache';
import { graphiqlRouter } from './graphiql';
import { explorerRouter } from './explorer';
import { createErrorFormatter } from './format-error';
import { createLogger } from '../observability/logger';
import { CmdbMetrics } from '../observability/metrics';
import { observabilityPlugin } from './observability-plugin';
import { observationOf, requestLogging } from './request-log';
import type { Logger } from 'pino';
import { ApiTokens } from '../auth/api-tokens';
import { createAuthenticator } from '../auth/authenticate';
import { OidcSettings, OidcVerifier } from '../auth/oidc';
import cors from 'cors';
import { GraphQLError } from 'graphql';
import { can, Principal } from '../auth/principal';
import { Permission } from '../auth/permissions';
import { costLimitPlugin, DEFAULT_LIMITS, limitValidationRules, QueryLimits } from './query-limits';
import { batchLimit, bodyErrors, defaultAllowedHosts, hostCheck, sendGraphQLError, unexpectedErrors } from './http-guards';
import { introspectionGuard } from './introspection-guard';
import { unavailableStatusPlugin } from './unavailable-status';
import { ConcurrencyGate, GateOptions } from '../runtime/concurrency-gate';
import { alertWebhookRouter } from './alert-webhook';
import { eventBindingFor } from '../events/binding-cache';
import { EventService } from '../events/event.service';
import { serveSubscriptions } from './subscriptions';
import { createEventBus, EventBus } from '../events/event-bus';
import { ServiceHealthFeed } from '../events/service-health-feed';
import { ServiceHealthTracker } from '../impact/service-health';
import { publishCommittedChanges } from '../events/change-feed';

/** Two at a time on a 2-core machine: the rest of the requests keep a core and most of the pool. */
export const DEFAULT_EXPENSIVE: GateOptions = { concurrency: 2, maxQueued: 100, queueTimeoutMs: 30_000 };

export interface AppOptions {
  client: Neo4jClient;
  catalog: Catalog;
  development?: boolean;
  /** The process logger (default: a new one on stdout). */
  logger?: Logger;
  /** Default: a new registry with process metrics. */
  metrics?: CmdbMetrics;
  /** Role of requests without credentials (CMDB_ANONYMOUS_ROLE); default null: they get 401. */
  anonymousRole?: 'viewer' | null;
  /** OpenID Connect settings (CMDB_OIDC_*); null: only API tokens. */
  oidc?: OidcSettings | null;
  /** Default DEFAULT_LIMITS. */
  limits?: Partial<QueryLimits>;
  /** Host header names served (DNS-rebinding guard); null: any. Default: the loopback names. */
  allowedHosts?: readonly string[] | null;
  /** Origins allowed by CORS; default none (same origin only). */
  corsOrigins?: readonly string[];
  /** Expensive analyses (impact, root causes, single points of failure) at once, queued, and the longest wait. */
  expensive?: GateOptions;
  /** Request body limits: for principals that may reconcile (batches of 5,000 items), and for everyone else. */
  bodyLimits?: { reconcile: string; default: string };
  /** The live feed (main.ts gives the Redis one with CMDB_REDIS_URL); default: in this process, closed with the app. */
  bus?: EventBus;
  /** Queries run compiled by graphql-jit (default true); false: graphql-js interprets them (CMDB_COMPILED_QUERIES=0). */
  compiledQueries?: boolean;
  /** Live service health: the failing CIs are re-read this often (ms; default 30 s), and recomputed in full every 10 minutes. */
  serviceHealthRefreshMs?: number;
}

export interface CmdbApp {
  httpServer: Server;
  metrics: CmdbMetrics;
  tokens: ApiTokens;
  bus: EventBus;
  /** Live service health (tests and the benchmark wait on its idle()). */
  serviceHealth: ServiceHealthFeed;
  /** How many query documents were compiled, or declined by the compiler; null when queries are interpreted. */
  compiledQueries: CompiledExecutorStats | null;
  /** Stops accepting requests, lets in-flight ones finish, then resolves. Does not close the driver. */
  stop(): Promise<void>;
}

/** Builds the HTTP server: /graphql (Apollo), /graphiql, /healthz, /readyz, /metrics. Call listen() on httpServer. */
export async function createApp(opts: AppOptions): Promise<CmdbApp> {
  const logger = opts.logger ?? createLogger();
  const metrics = opts.metrics ?? new CmdbMetrics(() => opts.client.poolStats());
  const client = opts.client.observedBy(metrics);
  const bus = opts.bus ?? createEventBus();
  const tokenCache = new TokenCache(bus);
  const tokens = new ApiTokens(client, tokenCache);
  const oidc = opts.oidc ? new OidcVerifier(opts.oidc) : null;
  const authenticate = createAuthenticator({ tokens, anonymousRole: opts.anonymousRole ?? null, oidc, logger });
  const limits: QueryLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const bodyLimits = opts.bodyLimits ?? { reconcile: '20mb', default: '1mb' };
  const expensiveGate = new ConcurrencyGate(opts.expensive ?? DEFAULT_EXPENSIVE);
  metrics.watchExpensiveGate(() => expensiveGate.stats);
  const app = express();
  const httpServer = createServer(app);
  const schema = await buildCmdbSchema(bus);
  const stopFeed = publishCommittedChanges(client, bus);
  const serviceHealth = new ServiceHealthFeed(new ServiceHealthTracker(client, opts.catalog), bus, {
    refreshMs: opts.serviceHealthRefreshMs ?? 30_000,
    fullRefreshMs: 600_000,
    minFullIntervalMs: 2000,
    onComputed: (kind, cost, ms) => metrics.serviceHealthComputed(kind, cost.loaded, ms),
    onError: (err) => logger.error({ err }, 'live service health: recomputation failed'),
  });
  await serviceHealth.start();
  const development = opts.development ?? false;
  const compiledQueries: CompiledExecutorStats | null = opts.compiledQueries === false ? null : { compiled: 0, declined: 0 };
  const apollo = new ApolloServer<RequestContext>({
    ...(compiledQueries ? { gateway: localGateway(schema, compiledExecutor(schema, compiledQueries)) } : { schema }),
    // Every principal is authenticated before a request runs (anonymous viewers are refused it below).
    introspection: true,
    parseOptions: { maxTokens: limits.tokens },
    validationRules: limitValidationRules(limits),
    // An exponential fragment spread is refused before it can expand.
    maxRecursiveSelections: true,
    // "Did you mean" names fields: only in development.
    hideSchemaDetailsFromClientErrors: !development,
    allowBatchedHttpRequests: true,
    // main.ts owns SIGINT/SIGTERM: drain HTTP, close the driver, then stop the local Neo4j.
    stopOnTerminationSignals: false,
    formatError: createErrorFormatter(opts.development ?? false, (msg, err) => logger.error({ err }, msg)),
    includeStacktraceInErrorResponses: opts.development ?? false,
    // No response caching is offered, and cache-control wraps every field resolver to compute hints.
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginCacheControlDisabled(), observabilityPlugin(metrics),
      costLimitPlugin(schema, limits), introspectionGuard(), unavailableStatusPlugin(),
    ],
  });
  await apollo.start();

  app.disable('x-powered-by');
  app.use(requestLogging(logger, metrics));
  app.use(hostCheck(opts.allowedHosts === undefined ? defaultAllowedHosts('127.0.0.1') : opts.allowedHosts));
  app.get('/metrics', async (_req, res) => {
    res.set('content-type', metrics.contentType).send(await metrics.render());
  });
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await client.ping();
      res.json({ status: 'ready', neo4j: 'reachable' });
    } catch (err) {
      res.status(503).json({ status: 'unavailable', neo4j: (err as Error).message });
    }
  });
  app.use(graphiqlRouter({ endpoint: '/graphql' }));
  app.use(explorerRouter({ endpoint: '/graphql' }));
  // The binding rules are read (and checked against the catalog) at start-up: a bad rule stops the start.
  const binding = eventBindingFor(opts.catalog);
  app.use(alertWebhookRouter(authenticate, () => new EventService(client, opts.catalog, binding, bus), bodyLimits.default));
  const healthSnapshots = new HealthSnapshots();
  // Every request, over HTTP or a subscription, shares the process's token store, gates, bus and health reports.
  const contextFor = (principal: Principal, extra: RequestContextOptions = {}) =>
    createRequestContext(client, opts.catalog, { principal, tokens, expensiveGate, reconcileObserver: metrics, bus, healthSnapshots, ...extra });
  const subscriptions = serveSubscriptions(httpServer, schema, authenticate, (principal) => contextFor(principal), bus);
  const jsonFor = { reconcile: express.json({ limit: bodyLimits.reconcile }), default: express.json({ limit: bodyLimits.default }) };
  app.use(
    '/graphql',
    cors({ origin: [...(opts.corsOrigins ?? [])], allowedHeaders: ['authorization', 'content-type', 'x-request-id'], exposedHeaders: ['x-request-id'], maxAge: 600 }),
    // Who is calling is known from the header alone, before the body is read: only principals that may
    // reconcile get the large body limit.
    async (req: express.Request, res: express.Response, next: express.NextFunction) => {
      try {
        const principal = await authenticate(req.headers.authorization);
        res.locals.principal = principal;
        observationOf(res).principal = principal.name;
        (can(principal, Permission.RECONCILE) ? jsonFor.reconcile : jsonFor.default)(req, res, next);
      } catch (err) {
        if (err instanceof GraphQLError) sendGraphQLError(res, err);
        else next(err);
      }
    },
    bodyErrors,
    batchLimit(limits.batch),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => contextFor(res.locals.principal as Principal, { requestId: String(req.id), observation: observationOf(res) }),
    }),
  );

  app.use(unexpectedErrors((msg, err) => logger.error({ err }, msg), development));

  return {
    httpServer,
    metrics,
    tokens,
    bus,
    serviceHealth,
    compiledQueries,
    stop: async () => {
      stopFeed();
      tokenCache.stop();
      await serviceHealth.stop();
      await subscriptions.stop();
      await apollo.stop();
      if (!opts.bus) await bus.close();
    },
  };
}
