/**
 * `npm run neo4j:start` / `npm run neo4j:stop`: the development Neo4j the API uses by default,
 * with the same settings (CMDB_NEO4J_HOME, CMDB_NEO4J_PORT, CMDB_NEO4J_HEAP, CMDB_NEO4J_PAGECACHE).
 */
import { startLocalNeo4j, stopLocalNeo4jAt } from '../src/server/local-neo4j';
import { readConfig } from '../src/server/config';
import { passwordFile } from '../src/server/neo4j-credentials';

const log = (msg: string) => console.log(`cmdb: ${msg}`);

async function main(command: string | undefined): Promise<void> {
  const config = readConfig();
  if (command === 'start') {
    const server = await startLocalNeo4j({
      homeDir: config.localNeo4jHome,
      boltPort: config.localNeo4jPort,
      heapMax: config.localNeo4jHeap,
      pageCache: config.localNeo4jPageCache,
      log,
    });
    log(`${server.reused ? 'already running' : 'started'} (pid ${server.pid}): ${server.uri}, user ${server.user}, password in ${passwordFile(server.homeDir)}`);
  } else if (command === 'stop') {
    log((await stopLocalNeo4jAt(config.localNeo4jHome, log)) ? 'Neo4j stopped' : 'no local Neo4j was running');
  } else {
    throw new Error('usage: neo4j-ctl start|stop');
  }
}

main(process.argv[2]).catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
