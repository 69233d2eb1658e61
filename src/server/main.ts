import 'reflect-metadata';
import { readConfig } from './config';
import { startGraphRuntime } from './bootstrap';
import { createApp } from './app';

const log = (msg: string) => console.log(`[cmdb] ${msg}`);

async function main(): Promise<void> {
  const config = readConfig();
  const runtime = await startGraphRuntime(config, log);
  const app = await createApp({ client: runtime.client, catalog: runtime.catalog, development: config.development });
  await new Promise<void>((resolve, reject) => {
    app.httpServer.once('error', reject);
    app.httpServer.listen(config.port, config.host, resolve);
  });
  const address = app.httpServer.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const base = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
  log(`GraphQL API at ${base}/graphql, GraphiQL at ${base}/graphiql`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: finishing in-flight requests and shutting down`);
    try {
      await app.stop();
      log('HTTP server drained');
      await runtime.close();
      log('stopped');
      process.exit(0);
    } catch (err) {
      console.error('[cmdb] shutdown failed', err);
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err) => {
  console.error(`[cmdb] failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
