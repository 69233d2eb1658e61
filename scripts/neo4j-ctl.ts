/**
 * `npm run neo4j:start` / `npm run neo4j:stop`: a long-lived development Neo4j in <project>/.neo4j, kept between runs
 * so the graph survives. Bolt port from CMDB_NEO4J_PORT (default 7687).
 */
import * as path from 'path';
import { startLocalNeo4j, stopLocalNeo4jAt } from '../src/server/local-neo4j';
import { projectRoot } from '../src/server/neo4j-conf';

const log = (msg: string) => console.log(`cmdb: ${msg}`);

async function main(command: string | undefined): Promise<void> {
  const homeDir = path.join(projectRoot(), '.neo4j');
  if (command === 'start') {
    const raw = process.env.CMDB_NEO4J_PORT ?? '7687';
    const boltPort = Number(raw);
    if (!Number.isInteger(boltPort) || boltPort < 0 || boltPort > 65535) throw new Error(`cmdb: CMDB_NEO4J_PORT=${raw} is not a port number`);
    const server = await startLocalNeo4j({ homeDir, boltPort, log });
    log(`${server.reused ? 'already running' : 'started'} (pid ${server.pid}): ${server.uri}`);
    console.log(server.uri);
  } else if (command === 'stop') {
    log((await stopLocalNeo4jAt(homeDir, log)) ? 'Neo4j stopped' : 'no local Neo4j was running');
  } else {
    throw new Error('usage: neo4j-ctl start|stop');
  }
}

main(process.argv[2]).catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
