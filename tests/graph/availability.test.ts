import net from 'net';
import { createDriver, Neo4jClient } from '../../src/graph/client';
import { testNeo4jUri } from '../support/neo4j';

/** A TCP proxy in front of the test Neo4j that the test can cut and restore, as if the database went away. */
async function proxyTo(target: URL): Promise<{ port: number; cut(): Promise<void>; restore(): Promise<void>; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let server: net.Server;
  let port = 0;
  const open = () => new Promise<void>((resolve) => {
    server = net.createServer((client) => {
      const upstream = net.connect(Number(target.port), target.hostname);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    server.listen(port, '127.0.0.1', () => {
      port = (server.address() as net.AddressInfo).port;
      resolve();
    });
  });
  const cut = async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  };
  await open();
  return { port, cut, restore: open, close: cut };
}

it('fails fast while Neo4j is unreachable and recovers by itself when it is back', async () => {
  const proxy = await proxyTo(new URL(testNeo4jUri().replace(/^bolt:/, 'http:')));
  const client = new Neo4jClient(createDriver({ uri: `bolt://127.0.0.1:${proxy.port}`, user: process.env.NEO4J_TEST_USER, password: process.env.NEO4J_TEST_PASSWORD }), process.env.NEO4J_TEST_DATABASE || undefined);
  try {
    expect((await client.read('RETURN 1 AS one')).records[0].get('one')).toBe(1);
    await proxy.cut();
    const first = Date.now();
    await expect(client.read('RETURN 1')).rejects.toMatchObject({ code: 'ServiceUnavailable' });
    expect(Date.now() - first).toBeLessThan(5000);
    expect(client.unavailableSince).not.toBeNull();
    // Within the probe interval, the next ones do not even try.
    const second = Date.now();
    await expect(client.scoped().read('RETURN 1')).rejects.toMatchObject({ code: 'ServiceUnavailable' });
    expect(Date.now() - second).toBeLessThan(100);

    await proxy.restore();
    await new Promise((r) => setTimeout(r, 1100));
    expect((await client.read('RETURN 2 AS two')).records[0].get('two')).toBe(2);
    expect(client.unavailableSince).toBeNull();
  } finally {
    await client.close();
    await proxy.close().catch(() => undefined);
  }
}, 30_000);
