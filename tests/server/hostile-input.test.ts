import { openTestGraph, TestGraph } from '../support/graph';
import { HttpApp, listenApp } from '../support/http-app';

let graph: TestGraph;
let http: HttpApp;

beforeAll(async () => {
  graph = await openTestGraph();
  await graph.wipe();
  http = await listenApp(graph);
});
afterAll(async () => {
  await http?.stop();
  await graph?.close();
});

const huge = 'Sever'.repeat(200_000); // 1 MB

it('a 1 MB unknown name is refused at once, with a short error and no suggestion search', async () => {
  const started = Date.now();
  const { body } = await http.post('mutation($s: String!) { startSyncRun(source: $s, scope: "x", mode: FULL) { id } }', { s: huge });
  const cls = await http.post('query($c: String!) { cis(first: 1, filter: { class: $c }) { totalCount } }', { c: huge });
  expect(Date.now() - started).toBeLessThan(2000);
  for (const b of [body, cls.body]) {
    expect(b.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(b).length).toBeLessThan(3000);
    expect(b.errors[0].message).not.toMatch(/did you mean/);
  }
});

it('many unknown attributes with huge names give a bounded error and write nothing', async () => {
  const attributes = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`${i}-${'x'.repeat(3000)}`, 1]));
  const { body } = await http.post('mutation($i: CreateCiInput!) { createCi(input: $i) { id } }', { i: { class: 'Application', name: 'hostile', attributes } });
  expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  expect(body.errors[0].extensions.errors.length).toBeLessThanOrEqual(101);
  expect(JSON.stringify(body).length).toBeLessThan(100_000);
  expect((await graph.client.read("MATCH (c:CI {name: 'hostile'}) RETURN count(c) AS n")).records[0].get('n')).toBe(0);
});
