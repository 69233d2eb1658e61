import { createDriver } from '../../src/graph/client';
import { readPoolStats } from '../../src/graph/pool-stats';
import { testNeo4jUri } from '../support/neo4j';

// Reads driver internals (there is no public pool API): this fails first when a driver upgrade moves them.
it('reports connections in use while a transaction holds one, and idle ones after', async () => {
  const driver = createDriver({ uri: testNeo4jUri(), user: process.env.NEO4J_TEST_USER, password: process.env.NEO4J_TEST_PASSWORD });
  try {
    expect(readPoolStats(driver)).toEqual({ inUse: 0, idle: 0 });
    const session = driver.session({ database: process.env.NEO4J_TEST_DATABASE || undefined });
    let during: ReturnType<typeof readPoolStats> = null;
    try {
      await session.executeRead(async (tx) => {
        await tx.run('RETURN 1');
        during = readPoolStats(driver);
      });
    } finally {
      await session.close();
    }
    expect(during).toEqual({ inUse: 1, idle: 0 });
    expect(readPoolStats(driver)).toEqual({ inUse: 0, idle: 1 });
  } finally {
    await driver.close();
  }
});
