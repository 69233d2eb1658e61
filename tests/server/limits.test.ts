import { request } from 'http';
import { ApolloServer } from '@apollo/server';
import { buildCmdbSchema } from '../../src/resolvers/schema';
import { createRequestContext, RequestContext } from '../../src/resolvers/context';
import { ConcurrencyGate } from '../../src/runtime/concurrency-gate';
import { TestGraph } from '../support/graph';
import { HttpApp, listenApp, useHttpApp } from '../support/http-app';

let graph: TestGraph;
let http: HttpApp;

useHttpApp((g, h) => ([graph, http] = [g, h]));

const raw = (body: string, headers: Record<string, string> = {}) =>
  fetch(`${http.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${http.adminToken}`, ...headers }, body });

async function nodeCount(): Promise<number> {
  return (await graph.client.read('MATCH (n) WHERE NOT n:ApiToken RETURN count(n) AS n')).records[0].get('n') as number;
}

it('100 aliases get a validation error naming the limit, and nothing runs', async () => {
  const before = await nodeCount();
  const fields = Array.from({ length: 100 }, (_, i) => `a${i}: whoami { name }`).join('\n');
  const { status, body } = await http.post(`query {\n${fields}\n}`);
  expect(status).toBe(400);
  expect(body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  expect(body.errors[0].message).toMatch(/aliases/i);
  expect(await nodeCount()).toBe(before);
});

it('a 30-level nested selection gets a depth error', async () => {
  let selection = 'name';
  for (let i = 0; i < 15; i++) selection = `relationships(first: 1) { ci { ${selection} } }`;
  const deep = `query Deep($id: ID!) { ci(id: $id) { ${selection} } }`;
  const { status, body } = await http.post(deep, { id: 'x' });
  expect(status).toBe(400);
  expect(body.errors[0].message).toMatch(/depth/i);
});

it('a query whose pages multiply past the cost limit is refused with its cost, variables included', async () => {
  const query = 'query Big($n: Int!) { cis(first: $n) { edges { node { name relationships(first: 100) { type ci { name } } } } } }';
  const { status, body } = await http.post(query, { n: 500 });
  expect(status).toBe(400);
  expect(body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'cost', max: 20_000 });
  expect(body.errors[0].extensions.value).toBeGreaterThan(100_000);
  const small = await http.post(query, { n: 5 });
  expect(small.status).toBe(200);
  expect(small.body.errors).toBeUndefined();
});

it('too many tokens, a batch of 100 operations, an oversized or malformed body each get a JSON error', async () => {
  const tokens = await http.post(`{ ${Array.from({ length: 1200 }, () => '__typename').join(' ')} }`);
  expect(tokens.status).toBe(400);
  expect(tokens.body.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
  expect(tokens.body.errors[0].message).toMatch(/more that 1000 tokens/);

  const batch = await raw(JSON.stringify(Array.from({ length: 100 }, () => ({ query: '{ __typename }' }))));
  expect(batch.status).toBe(400);
  expect(((await batch.json()) as any).errors[0]).toMatchObject({ message: 'a batch may hold at most 10 operations, got 100', extensions: { code: 'BAD_REQUEST', limit: 'batch', max: 10, value: 100 } });
  const smallBatch = await raw(JSON.stringify([{ query: '{ a: __typename }' }, { query: '{ b: __typename }' }]));
  expect(((await smallBatch.json()) as any).map((r: any) => r.data)).toEqual([{ a: 'Query' }, { b: 'Query' }]);

  // A viewer gets the small body limit; an admin (may reconcile) the large one.
  const viewer = await http.token('viewer');
  const big = JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(2_000_000) } });
  const tooLarge = await raw(big, { authorization: `Bearer ${viewer}` });
  expect(tooLarge.status).toBe(413);
  expect(((await tooLarge.json()) as any).errors[0].extensions).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', limit: 'body' });
  expect((await raw(big)).status).toBe(200);

  const malformed = await raw('{"query": "{ __typename }"');
  expect(malformed.status).toBe(400);
  const text = await malformed.text();
  expect(JSON.parse(text).errors[0]).toMatchObject({ message: 'the request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } });
  expect(text).not.toMatch(/<html|at \/|node_modules/i);
});

it('refuses a foreign Host header (DNS rebinding) and answers CORS only for listed origins', async () => {
  // fetch() always sends the URL's host, so this uses node:http to send what a rebinding page's browser would.
  const rebinding = await new Promise<number>((resolve, reject) => {
    const req = request(`${http.base}/graphql`, { method: 'POST', headers: { host: 'evil.example:4000', 'content-type': 'application/json' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end('{"query":"{ __typename }"}');
  });
  expect(rebinding).toBe(421);
  const preflight = await fetch(`${http.base}/graphql`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
  expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  const open = await listenApp(graph, { corsOrigins: ['https://cmdb-ui.example'] });
  try {
    const ok = await fetch(`${open.base}/graphql`, { method: 'OPTIONS', headers: { origin: 'https://cmdb-ui.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' } });
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://cmdb-ui.example');
    expect(ok.headers.get('access-control-allow-headers')).toMatch(/authorization/);
  } finally {
    await open.stop();
  }
});

it('refuses a mutation sent as a simple (CSRF-able) request', async () => {
  const before = await nodeCount();
  const res = await fetch(`${http.base}/graphql?query=${encodeURIComponent('mutation { createCi(input: { class: "Application", name: "csrf" }) { id } }')}`, { headers: { authorization: `Bearer ${http.adminToken}` } });
  expect(res.status).toBe(400);
  expect(await nodeCount()).toBe(before);
});

it('hides field suggestions outside development', async () => {
  const { body } = await http.post('{ cis(first: 1) { totalCont } }');
  expect(body.errors[0].message).toMatch(/Cannot query field "totalCont"/);
  expect(body.errors[0].message).not.toMatch(/Did you mean/);
});

it('expensive analyses wait for the gate and are refused with TOO_MANY_REQUESTS when its queue is full; cheap reads pass', async () => {
  const { body: made } = await http.post('mutation { createCi(input: { class: "Application", name: "gated" }) { id } }');
  const id = made.data.createCi.id;
  const server = new ApolloServer<RequestContext>({ schema: await buildCmdbSchema() });
  await server.start();
  const gate = new ConcurrencyGate({ concurrency: 1, maxQueued: 1, queueTimeoutMs: 10_000 });
  const run = async (query: string) => {
    const res = await server.executeOperation({ query, variables: { id } }, { contextValue: createRequestContext(graph.client, graph.catalog, { expensiveGate: gate }) });
    return res.body.kind === 'single' ? res.body.singleResult : null;
  };
  let release!: () => void;
  const holder = gate.run(() => new Promise<void>((r) => (release = r)));
  try {
    const queued = run('query($id: ID!) { impact(input: { ciIds: [$id] }) { truncated } }');
    await new Promise((r) => setTimeout(r, 50));
    expect(gate.stats).toEqual({ running: 1, queued: 1 });
    const refused = await run('query($id: ID!) { singlePointsOfFailure(serviceId: $id) { depth } }');
    expect(refused?.errors?.[0].extensions?.code).toBe('TOO_MANY_REQUESTS');
    expect((await run('query($id: ID!) { ci(id: $id) { name } }'))?.data).toEqual({ ci: { name: 'gated' } });
    release();
    expect((await queued)?.data).toEqual({ impact: { truncated: false } });
  } finally {
    release?.();
    await holder;
    await server.stop();
  }
});
