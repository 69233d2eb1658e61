import { mkdtempSync, readdirSync, rmSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { createDriver, Neo4jClient } from '../src/graph/client';
import { startLocalNeo4j, LocalNeo4j } from '../src/server/local-neo4j';

/** The benchmark's database: NEO4J_URI when set, else a disposable local Neo4j sized for 100k CIs. */
/** What Neo4j holds and uses: the store on disk (a local Neo4j only) and the JVM heap. */
export interface Neo4jFootprint {
  storeMb: number | null;
  heapUsedMb: number;
  heapMaxMb: number;
  pageCache: string | null;
}

export async function openBenchNeo4j(log: (m: string) => void): Promise<{ client: Neo4jClient; close: () => Promise<void>; footprint: () => Promise<Neo4jFootprint> }> {
  let local: LocalNeo4j | null = null;
  let home: string | null = null;
  let uri = process.env.NEO4J_URI;
  let user = process.env.NEO4J_USER;
  let password = process.env.NEO4J_PASSWORD;
  if (!uri) {
    home = mkdtempSync(join(tmpdir(), 'cmdb-bench-'));
    local = await startLocalNeo4j({ homeDir: home, boltPort: 0, heapMax: process.env.CMDB_BENCH_HEAP ?? '3g', pageCache: process.env.CMDB_BENCH_PAGECACHE ?? '2g', log });
    ({ uri, user, password } = local);
  }
  const client = new Neo4jClient(createDriver({ uri, user, password }), process.env.NEO4J_DATABASE || undefined);
  const pageCache = local ? (process.env.CMDB_BENCH_PAGECACHE ?? '2g') : null;
  return {
    client,
    async footprint() {
      const jmx = await client.read(`CALL dbms.queryJmx('java.lang:type=Memory') YIELD attributes RETURN attributes.HeapMemoryUsage.value.properties AS heap`);
      const heap = jmx.records[0].get('heap') as { used: number; max: number };
      const store = home ? duBytes(join(home, 'data')) : null;
      return { storeMb: store === null ? null : Math.round(store / 1048576), heapUsedMb: Math.round(heap.used / 1048576), heapMaxMb: Math.round(heap.max / 1048576), pageCache };
    },
    async close() {
      await client.close();
      if (local) await local.stop();
      if (home) rmSync(home, { recursive: true, force: true });
    },
  };
}

function duBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? duBytes(path) : statSync(path).size;
  }
  return total;
}

/** Empties the database in bounded transactions. */
export async function wipe(client: Neo4jClient): Promise<void> {
  for (;;) {
    const r = await client.write('MATCH (n) WITH n LIMIT 20000 DETACH DELETE n RETURN count(*) AS n');
    if ((r.records[0].get('n') as number) === 0) return;
  }
}

export const seconds = (ms: number) => (ms / 1000).toFixed(1);
