/**
 * Gives the suite one Neo4j: the server named by NEO4J_TEST_URI, or else a disposable local one in a temp home on a
 * free port. Tests run in band, so they see the NEO4J_TEST_URI set here.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import neo4j from 'neo4j-driver';
import { startLocalNeo4j, type LocalNeo4j } from '../../src/server/local-neo4j';
import { testNeo4jAuth } from '../support/neo4j';

export interface TestNeo4jGlobal {
  cmdbTestNeo4j?: LocalNeo4j;
}

export default async function globalSetup(): Promise<void> {
  const given = process.env.NEO4J_TEST_URI;
  if (given) {
    const driver = neo4j.driver(given, testNeo4jAuth());
    try {
      await driver.verifyConnectivity();
    } catch (e) {
      throw new Error(`NEO4J_TEST_URI=${given} does not answer: ${(e as Error).message}`);
    } finally {
      await driver.close();
    }
    return;
  }

  const homeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmdb-test-neo4j-'));
  const started = Date.now();
  const server = await startLocalNeo4j({ homeDir, boltPort: 0, heapMax: '1g', pageCache: '256m' }).catch((e: unknown) => {
    fs.rmSync(homeDir, { recursive: true, force: true });
    throw e;
  });
  process.env.NEO4J_TEST_URI = server.uri;
  process.env.NEO4J_TEST_USER = server.user;
  process.env.NEO4J_TEST_PASSWORD = server.password;
  (globalThis as TestNeo4jGlobal).cmdbTestNeo4j = server;
  // The server is detached; if jest dies before the teardown runs, do not leave it behind.
  process.once('exit', () => {
    if ((globalThis as TestNeo4jGlobal).cmdbTestNeo4j !== server) return;
    try {
      process.kill(-server.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  });
  process.stdout.write(`\ncmdb: test Neo4j up in ${((Date.now() - started) / 1000).toFixed(1)}s at ${server.uri}\n`);
}
