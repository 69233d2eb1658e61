import { Catalog } from '../../src/model/catalog';
import { loadCatalog } from '../../src/model/load-catalog';
import { createDriver, Neo4jClient } from '../../src/graph/client';
import { ensureSchema } from '../../src/graph/schema-bootstrap';
import { testNeo4jUri } from './neo4j';

export interface TestGraph {
  client: Neo4jClient;
  catalog: Catalog;
  /** Removes every node: each test file starts from an empty graph (tests run in band). */
  wipe(): Promise<void>;
  close(): Promise<void>;
  /** Whole-graph snapshot for set assertions: [class, name] of nodes and [from, type, to] of edges, sorted. */
  snapshot(): Promise<{ nodes: string[][]; edges: string[][] }>;
}

/** `server`: another Neo4j than the suite's (one a test started with settings of its own). */
export async function openTestGraph(catalog: Catalog = loadCatalog(), server?: { uri: string; user: string; password: string }): Promise<TestGraph> {
  const client = server
    ? new Neo4jClient(createDriver(server), undefined)
    : new Neo4jClient(
      createDriver({ uri: testNeo4jUri(), user: process.env.NEO4J_TEST_USER, password: process.env.NEO4J_TEST_PASSWORD }),
      process.env.NEO4J_TEST_DATABASE || undefined,
    );
  await ensureSchema(client, catalog);
  const wipe = async () => {
    // The manual source is created by ensureSchema at start-up; keep it like a real deployment would.
    // API tokens survive too: a test's HTTP app keeps its tokens across wipes.
    await client.write("MATCH (n) WHERE NOT (n:DataSource AND n.name = 'manual') AND NOT n:ApiToken DETACH DELETE n");
  };
  await wipe();
  return {
    client,
    catalog,
    wipe,
    close: () => client.close(),
    async snapshot() {
      const nodes = await client.read('MATCH (c:CI) RETURN c.class AS cls, c.name AS name ORDER BY cls, name');
      const edges = await client.read('MATCH (a:CI)-[r]->(b:CI) RETURN a.name AS a, type(r) AS t, b.name AS b ORDER BY a, t, b');
      return {
        nodes: nodes.records.map((r) => [r.get('cls'), r.get('name')]),
        edges: edges.records.map((r) => [r.get('a'), r.get('t'), r.get('b')]),
      };
    },
  };
}
