import { createDriver, Neo4jClient } from '../../src/graph/client';
import { testNeo4jUri } from '../support/neo4j';

/** The driver is given neo4j:// (routing) URIs in clusters; a single server must answer them too. */
it('works through a neo4j:// routing URI, with reads and writes in managed transactions, counting round trips', async () => {
  const uri = testNeo4jUri().replace(/^bolt:/, 'neo4j:');
  const client = new Neo4jClient(createDriver({ uri, user: process.env.NEO4J_TEST_USER, password: process.env.NEO4J_TEST_PASSWORD }), process.env.NEO4J_TEST_DATABASE || undefined);
  try {
    const scoped = client.scoped();
    await scoped.write("CREATE (:RoutingProbe {name: 'p'})");
    const read = await scoped.read("MATCH (n:RoutingProbe) RETURN n.name AS name");
    expect(read.records.map((r) => r.get('name'))).toEqual(['p']);
    await scoped.writeTx(async (tx) => {
      await scoped.run(tx, "MATCH (n:RoutingProbe) SET n.seen = true");
      await scoped.run(tx, "MATCH (n:RoutingProbe) DELETE n");
    });
    expect(scoped.stats.queries).toBe(4);
    expect(client.stats.queries).toBe(0);
    expect((await client.read('MATCH (n:RoutingProbe) RETURN count(n) AS n')).records[0].get('n')).toBe(0);
  } finally {
    await client.close();
  }
});
