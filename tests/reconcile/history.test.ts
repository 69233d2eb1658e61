import { TestGraph } from '../support/graph';
import { TestApi } from '../support/api';
import { useTestApi } from '../support/suite';
import { reconcile, registerSource, server } from '../support/reconcile';

let graph: TestGraph;
let api: TestApi;
const tick = () => new Promise((r) => setTimeout(r, 15));

useTestApi((g, a) => ([graph, api] = [g, a]));

beforeAll(async () => {
  await registerSource(api, { name: 'nmap', kind: 'DISCOVERY' });
});

const AS_OF = `query($id: ID!, $asOf: DateTimeISO) { ci(id: $id, asOf: $asOf) { name lifecycleStatus attributes relationships { type direction ci { name } } } }`;
const HISTORY = `query($id: ID!, $first: Int!, $after: String) { ci(id: $id) { history(first: $first, after: $after) {
  edges { cursor node { kind actor field oldValue newValue relationshipType } } pageInfo { hasNextPage endCursor } } } }`;

describe('history and time travel', () => {
  it('records every change newest first, and asOf returns the earlier state of attributes and relationships', async () => {
    const first = await reconcile(api, {
      source: 'nmap',
      items: [server('h', { hostname: 'web', domain: 'd', osVersion: '11' }), { ref: 'app', class: 'Application', name: 'shop' }],
      relationships: [{ from: 'app', to: 'h', type: 'RUNS_ON' }],
    });
    const [hostId, appId] = first.items.map((i: any) => i.ciId);
    await tick();
    const t1 = new Date().toISOString();
    await tick();
    await reconcile(api, { source: 'nmap', items: [server('h', { hostname: 'web', domain: 'd', osVersion: '12' })] });
    const other = await api.ok(`mutation { createCi(input: { class: "LinuxServer", name: "web-2", attributes: { hostname: "web-2" } }) { id } }`);
    await api.ok(`mutation($a: ID!, $b: ID!) { unrelate(input: { from: $a, to: $b, type: "RUNS_ON" }) relate(input: { from: $a, to: $c, type: "RUNS_ON" }) { created } }`
      .replace('$c', '"' + other.createCi.id + '"'), { a: appId, b: hostId });
    await api.ok(`mutation($id: ID!) { updateCi(id: $id, input: { lifecycleStatus: IN_MAINTENANCE }) { id } }`, { id: hostId });

    const now = (await api.ok(AS_OF, { id: hostId })).ci;
    expect(now).toEqual({ name: 'web', lifecycleStatus: 'IN_MAINTENANCE', attributes: { hostname: 'web', domain: 'd', osVersion: '12' }, relationships: [] });
    const then = (await api.ok(AS_OF, { id: hostId, asOf: t1 })).ci;
    expect(then).toEqual({
      name: 'web', lifecycleStatus: 'INSTALLED', attributes: { hostname: 'web', domain: 'd', osVersion: '11' },
      relationships: [{ type: 'RUNS_ON', direction: 'INCOMING', ci: { name: 'shop' } }],
    });
    const appThen = (await api.ok(AS_OF, { id: appId, asOf: t1 })).ci;
    expect(appThen.relationships).toEqual([{ type: 'RUNS_ON', direction: 'OUTGOING', ci: { name: 'web' } }]);
    const appNow = (await api.ok(AS_OF, { id: appId })).ci;
    expect(appNow.relationships).toEqual([{ type: 'RUNS_ON', direction: 'OUTGOING', ci: { name: 'web-2' } }]);

    const history = (await api.ok(HISTORY, { id: hostId, first: 10 })).ci.history;
    expect(history.edges.map((e: any) => e.node)).toEqual([
      { kind: 'UPDATED', actor: 'manual', field: 'lifecycleStatus', oldValue: 'INSTALLED', newValue: 'IN_MAINTENANCE', relationshipType: null },
      { kind: 'RELATIONSHIP_REMOVED', actor: 'manual', field: null, oldValue: null, newValue: null, relationshipType: 'RUNS_ON' },
      { kind: 'UPDATED', actor: 'nmap', field: 'osVersion', oldValue: '11', newValue: '12', relationshipType: null },
      // The RUNS_ON edge was born with both of its CIs, in the same batch: part of their creation.
      { kind: 'CREATED', actor: 'nmap', field: null, oldValue: null, newValue: { name: 'web', class: 'LinuxServer' }, relationshipType: null },
    ]);
    // Paging walks the same list.
    const page1 = (await api.ok(HISTORY, { id: hostId, first: 2 })).ci.history;
    const page2 = (await api.ok(HISTORY, { id: hostId, first: 10, after: page1.pageInfo.endCursor })).ci.history;
    expect(page1.pageInfo.hasNextPage).toBe(true);
    expect([...page1.edges, ...page2.edges].map((e: any) => e.cursor)).toEqual(history.edges.map((e: any) => e.cursor));
  });

  it('asOf before creation is NOT_FOUND; a deleted CI can still be seen as it was', async () => {
    const before = new Date(Date.now() - 1000).toISOString();
    const made = await api.ok(`mutation { createCi(input: { class: "Application", name: "temp", attributes: { version: "1" } }) { id } }`);
    const id = made.createCi.id;
    await tick();
    const alive = new Date().toISOString();
    await tick();
    await api.ok(`mutation($id: ID!) { deleteCi(id: $id) { id } }`, { id });
    const missing = await api.run(AS_OF, { id, asOf: before });
    expect(missing.errors![0].extensions!.code).toBe('NOT_FOUND');
    expect(missing.errors![0].message).toContain('did not exist yet');
    expect((await api.ok(AS_OF, { id, asOf: alive })).ci).toMatchObject({ name: 'temp', attributes: { version: '1' } });
    expect((await api.run(AS_OF, { id })).errors![0].extensions!.code).toBe('NOT_FOUND');
  });

  it('history of a page of CIs costs one query, not one per CI', async () => {
    const result = await api.run(`{ cis(first: 50) { edges { node { name history(first: 3) { edges { node { kind } } } } } } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data.cis.edges.length).toBeGreaterThan(2);
    expect(result.queries).toBe(2);
  });
});
