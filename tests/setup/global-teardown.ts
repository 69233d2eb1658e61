/** Stops the disposable Neo4j of global-setup.ts and deletes its temp home; a NEO4J_TEST_URI server is left alone. */
import * as fs from 'fs';
import type { TestNeo4jGlobal } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const g = globalThis as TestNeo4jGlobal;
  const server = g.cmdbTestNeo4j;
  if (!server) return;
  try {
    await server.stop();
  } finally {
    g.cmdbTestNeo4j = undefined;
    // In watch mode the next run's setup must not mistake this stopped server for a user-supplied one.
    if (process.env.NEO4J_TEST_URI === server.uri) delete process.env.NEO4J_TEST_URI;
    fs.rmSync(server.homeDir, { recursive: true, force: true });
  }
}
