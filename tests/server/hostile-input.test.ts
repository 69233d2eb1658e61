import { TestGraph } from '../support/graph';
import { HttpApp, useHttpApp } from '../support/http-app';

let graph: TestGraph;
let http: HttpApp;

useHttpApp((g, h) => ([graph, http] = [g, h]));

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

it('an oversized identifier or deeply nested JSON makes that item an ERROR and the rest of the batch is written', async () => {
  await http.post('mutation { registerSource(input: { name: "fuzzed", kind: DISCOVERY }) { name } }');
  const DEEP = '"@deep@"';
  const items = [
    { ref: 'ok', class: 'LinuxServer', attributes: { serialNumber: 'OK-1', hostname: 'ok', domain: 'fuzz.test' } },
    { ref: 'long', class: 'LinuxServer', attributes: { serialNumber: 'S'.repeat(10_000), hostname: 'long', domain: 'fuzz.test' } },
    { ref: 'key', class: 'LinuxServer', sourceNativeKey: 'k'.repeat(9000), attributes: { serialNumber: 'OK-2', hostname: 'key', domain: 'fuzz.test' } },
    { ref: 'deep', class: 'KubernetesPod', attributes: { uid: 'pod-1', labels: '@deep@' } },
  ];
  // 5,000 levels of nesting, spliced in as text: JSON.stringify itself would overflow here.
  const text = JSON.stringify({ query: 'mutation($i: ReconcileInput!) { reconcile(input: $i) { items { ref operation errors { field reason } } totals { created errors } } }', variables: { i: { source: 'fuzzed', items } } })
    .replace(DEEP, `${'{"d":'.repeat(5000)}1${'}'.repeat(5000)}`);
  const res = await fetch(`${http.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${http.adminToken}` }, body: text });
  const body: any = await res.json();
  expect(body.errors).toBeUndefined();
  expect(body.data.reconcile.totals).toEqual({ created: 1, errors: 3 });
  expect(body.data.reconcile.items.map((i: any) => [i.ref, i.operation, i.errors.map((e: any) => e.field)])).toEqual([
    ['ok', 'CREATED', []],
    ['long', 'ERROR', ['items[1].attributes.serialNumber']],
    ['key', 'ERROR', ['items[2].sourceNativeKey']],
    ['deep', 'ERROR', ['items[3].attributes.labels']],
  ]);
  expect((await graph.snapshot()).nodes).toEqual([['LinuxServer', 'ok']]);
});
