import './production-mode';
import 'reflect-metadata';
import { readConfig, ServerConfig } from './config';
import { startGraphRuntime } from './bootstrap';
import { createApp } from './app';
import { createRedisEventBus } from '../events/redis-bus';
import { createLogger } from '../observability/logger';
import { ensureAdminToken } from '../auth/bootstrap-admin';
import { defaultAllowedHosts } from './http-guards';

async function main(): Promise<void> {
  let config: ServerConfig;
  try {
    config = readConfig();
  } catch (err) {
    // No logger settings to trust yet: say it plainly.
    console.error(`[cmdb] failed to start: ${(err as Error).message}`);
    process.exit(1);
  }
  const logger = createLogger({ level: config.logLevel, format: config.logFormat ?? undefined });
  const log = (msg: string) => logger.info(msg);
  try {
    const runtime = await startGraphRuntime(config, log);
    const bus = config.redisUrl ? await createRedisEventBus(config.redisUrl, (msg) => logger.warn(msg)) : undefined;
    if (bus) log(`live events cross instances through Redis${bus.outage ? ' (not reachable yet)' : ''}`);
    const app = await createApp({ bus, serviceHealthRefreshMs: config.serviceHealthRefreshMs, client: runtime.client, catalog: runtime.catalog, development: config.development, logger, anonymousRole: config.anonymousRole, oidc: config.oidc,
      limits: config.limits, compiledQueries: config.compiledQueries, corsOrigins: config.corsOrigins, bodyLimits: config.bodyLimits, expensive: config.expensive,
      allowedHosts: config.allowedHosts ?? defaultAllowedHosts(config.host),
    });
    if (!config.allowedHosts && !defaultAllowedHosts(config.host)) {
      logger.warn(`bound to ${config.host} without CMDB_ALLOWED_HOSTS: any Host header is accepted; list this API's names to block DNS rebinding`);
    }
    const admin = await ensureAdminToken(app.tokens, config.dataDir);
    if (admin.created) {
      // Printed this once; afterwards only the file has it.
      log(`first start: created an admin API token, written to ${admin.file} (readable only by you): ${admin.token}`);
      log('send it as "Authorization: Bearer <token>"; paste it into GraphiQL; create narrower tokens with createApiToken');
    } else {
      log(`API tokens exist; the first admin token, if kept, is in ${admin.file}`);
    }
    await new Promise<void>((resolve, reject) => {
      app.httpServer.once('error', reject);
      app.httpServer.listen(config.port, config.host, resolve);
    }).catch(async (err) => {
      await runtime.close();
      throw err;
    });
    const address = app.httpServer.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const base = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
    log(`GraphQL API at ${base}/graphql, GraphiQL at ${base}/graphiql, metrics at ${base}/metrics`);

    let stopping = false;
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      log(`${signal}: finishing in-flight requests and shutting down`);
      try {
        await app.stop();
        await bus?.close();
        log('HTTP server drained');
        await runtime.close();
        log('stopped');
        process.exit(0);
      } catch (err) {
        logger.fatal({ err }, 'shutdown failed');
        process.exit(1);
      }
    };
    process.on('SIGINT', () => void shutdown('SIGINT'));
    process.on('SIGTERM', () => void shutdown('SIGTERM'));
  } catch (err) {
    logger.fatal({ err: config.development ? err : undefined }, `failed to start: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}

void main();
