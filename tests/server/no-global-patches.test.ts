import net from 'net';
import http from 'http';
import { Writable, Readable } from 'stream';
import { EventEmitter } from 'events';

/** Every own property of the prototypes a library or our code might be tempted to patch. */
function prototypeSnapshot(): Map<string, unknown> {
  const protos: Record<string, object> = {
    'net.Socket': net.Socket.prototype, 'stream.Writable': Writable.prototype, 'stream.Readable': Readable.prototype,
    'http.Server': http.Server.prototype, 'http.ServerResponse': http.ServerResponse.prototype, 'http.IncomingMessage': http.IncomingMessage.prototype,
    EventEmitter: EventEmitter.prototype, Object: Object.prototype, Array: Array.prototype, Function: Function.prototype,
    Promise: Promise.prototype, String: String.prototype, Date: Date.prototype, Error: Error.prototype,
  };
  const out = new Map<string, unknown>();
  for (const [name, proto] of Object.entries(protos)) {
    for (const key of Reflect.ownKeys(proto)) {
      const d = Object.getOwnPropertyDescriptor(proto, key)!;
      out.set(`${name}.${String(key)}`, d.value ?? d.get ?? d.set);
    }
  }
  return out;
}

it('loading the app, connecting to Neo4j and serving a request change no global prototype', async () => {
  const before = prototypeSnapshot();
  await jest.isolateModulesAsync(async () => {
    const { openTestGraph } = await import('../support/graph');
    const { createApp } = await import('../../src/server/app');
    const { captureLogger } = await import('../support/log-capture');
    const graph = await openTestGraph();
    const app = await createApp({ client: graph.client, catalog: graph.catalog, logger: captureLogger().logger });
    await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
    try {
      const port = (app.httpServer.address() as net.AddressInfo).port;
      const { token } = await app.tokens.create({ name: `patches-${Math.random().toString(36).slice(2)}`, role: 'viewer' }, 'system');
      const res = await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: '{ cis(first: 1) { totalCount } }' }) });
      expect(res.status).toBe(200);
    } finally {
      await app.stop();
      await graph.close();
    }
  });
  const after = prototypeSnapshot();
  const changed = [...new Set([...before.keys(), ...after.keys()])].filter((k) => before.get(k) !== after.get(k));
  expect(changed).toEqual([]);
});
