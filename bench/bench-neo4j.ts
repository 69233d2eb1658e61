import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { createDriver, Neo4jClient } from '../src/graph/client';
import { startLocalNeo4j, LocalNeo4j } from '../src/server/local-neo4j';

/** The benchmark's database: NEO4J_URI when set, else a disposable local Neo4j sized for 100k CIs. */
export async function openBenchNeo4j(log: (m: string) => void): Promise<{ client: Neo4jClient; close: () => Promise<void> }> {
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
  return {
    client,
    async close() {
      await client.close();
      if (local) await local.stop();
      if (home) rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Empties the database in bounded transactions. */
export async function wipe(client: Neo4jClient): Promise<void> {
  for (;;) {
    const r = await client.write('MATCH (n) WITH n LIMIT 20000 DETACH DELETE n RETURN count(*) AS n');
    if ((r.records[0].get('n') as number) === 0) return;
  }
}

export const seconds = (ms: number) => (ms / 1000).toFixed(1);
