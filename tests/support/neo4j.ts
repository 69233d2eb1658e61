/** Where the tests' Neo4j is: set by tests/setup/global-setup.ts, or by the caller to use an existing server. */
import neo4j, { AuthToken } from 'neo4j-driver';

export function testNeo4jUri(): string {
  const uri = process.env.NEO4J_TEST_URI;
  if (!uri) throw new Error('NEO4J_TEST_URI is not set; run the tests through jest so tests/setup/global-setup.ts starts Neo4j');
  return uri;
}

/** NEO4J_TEST_USER / NEO4J_TEST_PASSWORD: given for an existing server, set by the global setup for the local one. */
export function testNeo4jAuth(): AuthToken | undefined {
  const user = process.env.NEO4J_TEST_USER;
  return user ? neo4j.auth.basic(user, process.env.NEO4J_TEST_PASSWORD ?? '') : undefined;
}
