/**
 * deleteSource removes a data source with what it asserted, and per its policy the CIs it alone reports; it refuses
 * while such CIs exist unless told what to do with them, saying how many.
 */
import { TestGraph } from '../support/graph';
import { HttpApp, useHttpApp } from '../support/http-app';

let graph: TestGraph;
let http: HttpApp;
useHttpApp((g, h) => ([graph, http] = [g, h]));

const gql = (query: string, variables: Record<string, unknown> = {}, token?: string) => http.ok(query, variables, token);
const DELETE = 'mutation($n: String!, $p: SourceDeletionPolicy) { deleteSource(name: $n, policy: $p) { source policy soleSourceCis cisDeleted sourceRecordsRemoved relationshipsUnasserted relationshipsRemoved precedenceRulesChanged } }';
const RECONCILE = 'mutation($i: ReconcileInput!) { reconcile(input: $i) { totals { errors } } }';
const server = (ref: string, serial: string) => ({ ref, class: 'LinuxServer', attributes: { hostname: ref, domain: 'lab', serialNumber: serial } });

beforeAll(async () => {
  for (const name of ['scan-a', 'scan-b']) await gql(`mutation { registerSource(input: { name: "${name}", kind: DISCOVERY }) { name } }`);
  const sw = (await gql('mutation { createCi(input: { class: "Switch", name: "sw1", attributes: { hostname: "sw1" } }) { id } }')).createCi.id;
  await gql(RECONCILE, { i: { source: 'scan-a', items: [server('s1', 'S1'), server('s2', 'S2'), { ref: 'sw', class: 'Switch', attributes: { hostname: 'sw1' } }],
    relationships: [{ from: 's1', to: 's2', type: 'CONNECTS_TO' }, { from: 's1', to: 'sw', type: 'CONNECTS_TO' }] } });
  await gql(RECONCILE, { i: { source: 'scan-b', items: [server('s1', 'S1')] } });
  // The switch edge is asserted by hand too.
  const s1 = (await gql('{ cis(first: 1, filter: { name: "s1" }) { edges { node { id } } } }')).cis.edges[0].node.id;
  await gql('mutation($a: ID!, $b: ID!) { relate(input: { from: $a, to: $b, type: "CONNECTS_TO" }) { created } }', { a: s1, b: sw });
  await gql('mutation { setPrecedenceRule(input: { class: "Server", attribute: "memoryGb", sources: ["scan-a", "scan-b"] }) { class } }');
});

it('refuses while CIs exist only because of the source, saying how many, and changes nothing', async () => {
  const before = await graph.snapshot();
  const { body } = await http.post(DELETE, { n: 'scan-a' });
  expect(body.errors[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'policy' });
  expect(body.errors[0].message).toMatch(/^1 CI\(s\) are reported by 'scan-a' alone; delete with policy KEEP_CIS .* or DELETE_CIS/);
  expect(await graph.snapshot()).toEqual(before);
  expect((await gql('{ dataSources { name } }')).dataSources.map((s: any) => s.name)).toContain('scan-a');
});

it('with DELETE_CIS removes the source, its records, its assertions and the CIs it alone reported; the rest survives', async () => {
  expect((await gql(DELETE, { n: 'scan-a', p: 'DELETE_CIS' })).deleteSource).toEqual({
    source: 'scan-a', policy: 'DELETE_CIS', soleSourceCis: 1, cisDeleted: 1, sourceRecordsRemoved: 2,
    relationshipsUnasserted: 2, relationshipsRemoved: 1, precedenceRulesChanged: 1,
  });
  // s2 is gone with the edge only scan-a asserted; s1 (scan-b reports it) and the hand-made switch edge stay.
  expect(await graph.snapshot()).toEqual({ nodes: [['LinuxServer', 's1'], ['Switch', 'sw1']], edges: [['s1', 'CONNECTS_TO', 'sw1']] });
  const edge = await graph.client.read("MATCH (:CI {name: 's1'})-[r]->(:CI {name: 'sw1'}) RETURN r.sources AS s");
  expect(edge.records[0].get('s')).toEqual(['manual']);
  expect((await gql('{ dataSources { name } }')).dataSources.map((s: any) => s.name).sort()).toEqual(['manual', 'scan-b']);
  expect((await gql('{ precedenceRules { sources } }')).precedenceRules).toEqual([{ sources: ['scan-b'] }]);
  const records = await graph.client.read("MATCH (s:SourceRecord {source: 'scan-a'}) RETURN count(s) AS n");
  expect(records.records[0].get('n')).toBe(0);
  const deleted = (await gql('{ changes(kinds: [DELETED]) { edges { node { actor principal ci { name class } } } } }')).changes.edges.map((e: any) => e.node);
  expect(deleted).toEqual([{ actor: 'scan-a', principal: expect.stringMatching(/^token:test-admin-/), ci: { name: 's2', class: 'LinuxServer' } }]);
  // The source no longer exists for reconcile.
  expect((await http.post(RECONCILE, { i: { source: 'scan-a', items: [server('s3', 'S3')] } })).body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
});

it('with KEEP_CIS keeps the CIs it alone reported, without a source', async () => {
  expect((await gql(DELETE, { n: 'scan-b', p: 'KEEP_CIS' })).deleteSource).toMatchObject({ soleSourceCis: 1, cisDeleted: 0, sourceRecordsRemoved: 1 });
  expect((await graph.snapshot()).nodes).toEqual([['LinuxServer', 's1'], ['Switch', 'sw1']]);
});

it('refuses the manual source, an unknown one, one with a running sync run, and callers without admin rights', async () => {
  const code = async (name: string, token?: string) => (await http.post(DELETE, { n: name, p: 'DELETE_CIS' }, { token })).body.errors[0].extensions;
  expect(await code('manual')).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
  expect(await code('scan-c')).toMatchObject({ code: 'NOT_FOUND', field: 'name' });
  await gql('mutation { registerSource(input: { name: "scan-c", kind: DISCOVERY }) { name } }');
  const run = (await gql('mutation { startSyncRun(source: "scan-c", scope: "lab", mode: FULL) { id } }')).startSyncRun.id;
  expect(await code('scan-c')).toMatchObject({ code: 'CONFLICT', field: 'name' });
  expect(await code('scan-c', await http.token('editor'))).toMatchObject({ code: 'FORBIDDEN' });
  expect(await code('scan-c', await http.token('discovery', 'scan-c'))).toMatchObject({ code: 'FORBIDDEN' });
  await gql('mutation($id: ID!) { finishSyncRun(runId: $id, status: ABORTED) { id } }', { id: run });
  expect((await gql(DELETE, { n: 'scan-c' })).deleteSource).toMatchObject({ source: 'scan-c', soleSourceCis: 0 });
});
