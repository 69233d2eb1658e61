import { TestGraph } from '../support/graph';
import { TestApi } from '../support/api';
import { useTestApi } from '../support/suite';
import { RECONCILE, registerSource } from '../support/reconcile';

let graph: TestGraph;
let api: TestApi;

useTestApi((g, a) => ([graph, api] = [g, a]));

beforeAll(async () => {
  for (const name of ['s0', 's1', 's2', 's3']) await registerSource(api, { name, kind: 'DISCOVERY' });
});

/** Call k reports servers k..k+5 (of 12), an app per server and the app's RUNS_ON edge. */
function payload(k: number) {
  const items = [];
  const relationships = [];
  for (let j = 0; j < 6; j++) {
    const n = (k + j) % 12;
    items.push({ ref: `srv${n}`, class: 'LinuxServer', attributes: { serialNumber: `SER-${n}`, hostname: `srv-${n}`, cpuCount: 4 } });
    items.push({ ref: `app${n}`, class: 'Application', name: `app-${n}`, attributes: { applicationCode: `APP${n}` } });
    relationships.push({ from: `app${n}`, to: `srv${n}`, type: 'RUNS_ON' });
    relationships.push({ from: `app${n}`, to: `app${(n + 1) % 12}`, type: 'DEPENDS_ON' });
  }
  // DEPENDS_ON targets outside this payload's window are skipped; keep only resolvable ones.
  const refs = new Set(items.map((i) => i.ref));
  return { source: `s${k % 4}`, items, relationships: relationships.filter((r) => refs.has(r.to)) };
}

it('20 concurrent reconcile calls over overlapping payloads leave exactly one CI per asset and no failed call', async () => {
  const results = await Promise.all(Array.from({ length: 20 }, (_, k) => api.run(RECONCILE, { input: payload(k) })));
  for (const r of results) {
    expect(r.errors).toBeUndefined();
    expect(r.data.reconcile.totals.errors).toBe(0);
  }
  const snapshot = await graph.snapshot();
  const expectedNodes = [
    ...Array.from({ length: 12 }, (_, n) => ['Application', `app-${n}`]),
    ...Array.from({ length: 12 }, (_, n) => ['LinuxServer', `srv-${n}`]),
  ].sort((a, b) => (a[0] + a[1] < b[0] + b[1] ? -1 : 1));
  expect(snapshot.nodes).toEqual(expectedNodes);
  const expectedEdges = [
    ...Array.from({ length: 12 }, (_, n) => [`app-${n}`, 'DEPENDS_ON', `app-${(n + 1) % 12}`]),
    ...Array.from({ length: 12 }, (_, n) => [`app-${n}`, 'RUNS_ON', `srv-${n}`]),
  ].sort((a, b) => (a.join() < b.join() ? -1 : 1));
  expect(snapshot.edges).toEqual(expectedEdges);
  // Every server is recorded by exactly the sources that reported it.
  const records = await graph.client.read('MATCH (s:SourceRecord) WHERE s.source STARTS WITH "s" RETURN count(s) AS n, count(DISTINCT s.key) AS keys');
  expect(records.records[0].get('n')).toBe(records.records[0].get('keys'));
}, 120000);
