import { createServer, Server } from 'http';
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { Catalog } from '../model/catalog';
import { Neo4jClient } from '../graph/client';
import { buildCmdbSchema } from '../resolvers/schema';
import { createRequestContext, RequestContext } from '../resolvers/context';
import { graphiqlRouter } from './graphiql';
import { createErrorFormatter } from './format-error';
import { createLogger } from '../observability/logger';
import { CmdbMetrics } from '../observability/metrics';
import { observabilityPlugin } from './observability-plugin';
import { observationOf, requestLogging } from './request-log';
import type { Logger } from 'pino';
import { ApiTokens } from '../auth/api-tokens';
import { createAuthenticator } from '../auth/authenticate';
import { OidcSettings, OidcVerifier } from '../auth/oidc';

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
}

export interface CmdbApp {
  httpServer: Server;
  metrics: CmdbMetrics;
  tokens: ApiTokens;
  /** Stops accepting requests, lets in-flight ones finish, then resolves. Does not close the driver. */
  stop(): Promise<void>;
}

/** Builds the HTTP server: /graphql (Apollo), /graphiql, /healthz, /readyz, /metrics. Call listen() on httpServer. */
export async function createApp(opts: AppOptions): Promise<CmdbApp> {
  const logger = opts.logger ?? createLogger();
  const metrics = opts.metrics ?? new CmdbMetrics(() => opts.client.poolStats());
  const client = opts.client.observedBy(metrics);
  const tokens = new ApiTokens(client);
  const oidc = opts.oidc ? new OidcVerifier(opts.oidc) : null;
  const authenticate = createAuthenticator({ tokens, anonymousRole: opts.anonymousRole ?? null, oidc, logger });
  const app = express();
  const httpServer = createServer(app);
  const schema = await buildCmdbSchema();
  const apollo = new ApolloServer<RequestContext>({
    schema,
    introspection: true,
    // main.ts owns SIGINT/SIGTERM: drain HTTP, close the driver, then stop the local Neo4j.
    stopOnTerminationSignals: false,
    formatError: createErrorFormatter(opts.development ?? false, (msg, err) => logger.error({ err }, msg)),
    includeStacktraceInErrorResponses: opts.development ?? false,
    // No response caching is offered, and cache-control wraps every field resolver to compute hints.
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginCacheControlDisabled(), observabilityPlugin(metrics)],
  });
  await apollo.start();

  app.disable('x-powered-by');
  app.use(requestLogging(logger, metrics));
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
  app.use(
    '/graphql',
    express.json({ limit: '20mb' }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const observation = observationOf(res);
        const principal = await authenticate(req.headers.authorization);
        observation.principal = principal.name;
        return createRequestContext(client, opts.catalog, { requestId: String(req.id), observation, reconcileObserver: metrics, principal, tokens });
      },
    }),
  );

  return {
    httpServer,
    metrics,
    tokens,
    stop: () => apollo.stop(),
  };
}
