import { Catalog } from '../model/catalog';
import { loadCatalog } from '../model/load-catalog';
import { createDriver, Neo4jClient } from '../graph/client';
import { ensureSchema } from '../graph/schema-bootstrap';
import { LocalNeo4j, startLocalNeo4j } from './local-neo4j';
import { ServerConfig } from './config';

export interface GraphRuntime {
  catalog: Catalog;
  client: Neo4jClient;
  /** Set when this process started (or adopted) the local Neo4j. */
  local: LocalNeo4j | null;
  close(): Promise<void>;
}

/**
 * Loads and validates the model, connects to Neo4j (the configured one, or the project's local
 * server, started if needed) and creates constraints and indexes. Fails before listening if any
 * of these fail, so a broken model or database never serves requests.
 */
export async function startGraphRuntime(config: ServerConfig, log: (msg: string) => void): Promise<GraphRuntime> {
  const catalog = loadCatalog({ extensionPath: config.modelPath });
  log(`model: ${catalog.classes.size} classes, ${catalog.relationshipTypes.size} relationship types`);
  let local: LocalNeo4j | null = null;
  let uri = config.neo4jUri;
  let user = config.neo4jUser ?? undefined;
  let password = config.neo4jPassword ?? undefined;
  if (!uri) {
    local = await startLocalNeo4j({
      homeDir: config.localNeo4jHome,
      boltPort: config.localNeo4jPort,
      heapMax: config.localNeo4jHeap,
      pageCache: config.localNeo4jPageCache,
      log,
    });
    ({ uri, user, password } = local);
    log(`local Neo4j ${local.reused ? 'already running' : 'started'} at ${uri} (data in ${config.localNeo4jHome})`);
  }
  const client = new Neo4jClient(
    createDriver({ uri, user, password }),
    config.neo4jDatabase ?? undefined,
    { txTimeoutMs: config.txTimeoutMs },
  );
  try {
    await client.driver.verifyConnectivity({ database: config.neo4jDatabase ?? undefined });
    await ensureSchema(client, catalog);
  } catch (err) {
    await client.close();
    if (local && !config.keepLocalNeo4j) await local.stop();
    throw err;
  }
  return {
    catalog,
    client,
    local,
    async close() {
      await client.close();
      if (local && !config.keepLocalNeo4j) await local.stop();
    },
  };
}
