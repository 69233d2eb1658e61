import { AddressInfo } from 'net';
import { createApp, CmdbApp } from '../../src/server/app';
import { createDriver, Neo4jClient } from '../../src/graph/client';
import { openTestGraph, TestGraph } from '../support/graph';
import { captureLogger } from '../support/log-capture';

let graph: TestGraph;

beforeAll(async () => {
  graph = await openTestGraph();
});
afterAll(() => graph.close());

let token = '';

/** A dead client cannot look tokens up, so its apps let anonymous viewers in to reach the failing resolver. */
async function listen(client: Neo4jClient, development = false): Promise<{ app: CmdbApp; base: string; logged: () => Record<string, any>[] }> {
  const { logger, lines } = captureLogger();
  const live = client === graph.client;
  const app = await createApp({ client, catalog: graph.catalog, development, logger, anonymousRole: live ? null : 'viewer' });
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  token = live ? (await app.tokens.create({ name: `app-test-${Math.random().toString(36).slice(2)}`, role: 'admin' }, 'system')).token : '';
  return { app, base: `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}`, logged: lines };
}

const post = (base: string, query: string) =>
  fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify({ query }) });

/** A client whose server is gone: every query fails inside the driver. */
const deadClient = () => new Neo4jClient(createDriver({ uri: 'bolt://127.0.0.1:1', maxTransactionRetryTimeMs: 0 }), undefined);

describe('HTTP server', () => {
  it('answers 503 SERVICE_UNAVAILABLE, without details, when a token cannot be checked because Neo4j is down', async () => {
    const client = deadClient();
    const { logger, lines } = captureLogger();
    const app = await createApp({ client, catalog: graph.catalog, logger });
    await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}/graphql`, {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer cmdb_${'a'.repeat(43)}` }, body: JSON.stringify({ query: '{ cis(first: 1) { totalCount } }' }),
      });
      expect(res.status).toBe(503);
      const body: any = await res.json();
      expect(body.errors.map((e: any) => e.extensions.code)).toEqual(['SERVICE_UNAVAILABLE']);
      expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|cmdb_a/);
      expect(lines().some((l) => l.level === 'error' && /token lookup failed/.test(l.msg))).toBe(true);
    } finally {
      await app.stop();
      await client.close();
    }
  });

  it('serves GraphQL, GraphiQL, /healthz and /readyz', async () => {
    const { app, base } = await listen(graph.client);
    try {
      const res = await post(base, '{ ciClasses { name } }');
      expect(res.status).toBe(200);
      const body: any = await res.json();
      expect(body.data.ciClasses.map((c: { name: string }) => c.name)).toContain('BusinessService');
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready', neo4j: 'reachable' });
      const graphiql = await fetch(`${base}/graphiql`);
      expect(graphiql.status).toBe(200);
      expect(await graphiql.text()).toContain('data-endpoint="/graphql"');
    } finally {
      await app.stop();
    }
  });

  it('answers 503 on /readyz when Neo4j is unreachable, while /healthz stays up', async () => {
    const client = deadClient();
    const { app, base } = await listen(client);
    try {
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as any).status).toBe('unavailable');
    } finally {
      await app.stop();
      await client.close();
    }
  });

  it('answers SERVICE_UNAVAILABLE (503) within 5 s when Neo4j is down, with no details, and logs the cause', async () => {
    // The server's own driver settings (3 s of retries), not the fast-failing test client.
    const client = new Neo4jClient(createDriver({ uri: 'bolt://127.0.0.1:1' }), undefined);
    const { app, base, logged } = await listen(client);
    try {
      const started = Date.now();
      const res = await post(base, '{ cis(first: 1) { totalCount } }');
      expect(Date.now() - started).toBeLessThan(5000);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      const body: any = await res.json();
      expect(body.data).toBeNull();
      expect(body.errors).toEqual([{ message: 'the database does not answer; retry shortly', locations: [{ line: 1, column: 3 }], path: ['cis'], extensions: { code: 'SERVICE_UNAVAILABLE' } }]);
      expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|ServiceUnavailable|stacktrace/);
      const failures = logged().filter((l) => l.msg === 'database failure while executing a GraphQL request: SERVICE_UNAVAILABLE');
      expect(failures).toHaveLength(1);
      expect(failures[0].level).toBe('error');
      expect(failures[0].err.message).toMatch(/127\.0\.0\.1|connect|ECONNREFUSED/i);
    } finally {
      await app.stop();
      await client.close();
    }
  });

  it('keeps deliberate errors (code and message) unmasked, without a stack trace', async () => {
    const { app, base } = await listen(graph.client);
    try {
      const body: any = await (await post(base, '{ cis(first: 1, filter: { class: "Sever" }) { totalCount } }')).json();
      expect(body.errors[0].message).toBe("filter.class: class 'Sever' is not in the model; did you mean 'Server'?");
      expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(body.errors[0].extensions.stacktrace).toBeUndefined();
    } finally {
      await app.stop();
    }
  });
});
