/**
 * Resolving duplicates: mergeCis leaves one CI with both CIs' relationships, histories, values and source records,
 * closes the duplicate record, and the next report of either source finds the survivor; dismissDuplicate closes a
 * record that is not a duplicate.
 */
import { TestGraph } from '../support/graph';
import { HttpApp, useHttpApp } from '../support/http-app';

let graph: TestGraph;
let http: HttpApp;
useHttpApp((g, h) => ([graph, http] = [g, h]));

const gql = (query: string, variables: Record<string, unknown> = {}, token?: string) => http.ok(query, variables, token);
const RECONCILE = 'mutation($i: ReconcileInput!) { reconcile(input: $i) { items { ref operation ciId errors { reason } } } }';
const ids: Record<string, string> = {};

beforeAll(async () => {
  await gql('mutation { registerSource(input: { name: "cmdb-import", kind: IMPORT }) { name } }');
  await gql('mutation { registerSource(input: { name: "scanner", kind: DISCOVERY }) { name } }');
  const create = async (key: string, input: Record<string, unknown>) => (ids[key] = (await gql('mutation($i: CreateCiInput!) { createCi(input: $i) { id } }', { i: { name: key, ...input } })).createCi.id);
  // The same server entered twice by hand (allowed explicitly), each related to something of its own.
  await create('db01', { class: 'LinuxServer', owner: 'dba', attributes: { hostname: 'db01', domain: 'corp', cpuCount: 8 } });
  await create('db01-old', { class: 'LinuxServer', allowDuplicate: true, supportGroup: 'Unix', attributes: { hostname: 'db01', domain: 'corp', serialNumber: 'SN-DB01', memoryGb: 64 } });
  await create('billing', { class: 'Application' });
  await create('rack-7', { class: 'Rack' });
  const relate = (from: string, type: string, to: string) => gql('mutation($i: RelateInput!) { relate(input: $i) { created } }', { i: { from: ids[from], to: ids[to], type } });
  await relate('billing', 'RUNS_ON', 'db01-old');
  await relate('db01-old', 'LOCATED_IN', 'rack-7');
  await relate('db01', 'LOCATED_IN', 'rack-7');
  await gql('mutation($id: ID!) { updateCi(id: $id, input: { attributes: { memoryGb: 128 } }) { id } }', { id: ids['db01-old'] });
  // A discovery report now matches both: MULTI_MATCH, kept as an open duplicate record.
  const multi = await gql(RECONCILE, { i: { source: 'scanner', items: [{ ref: 'h', class: 'LinuxServer', sourceNativeKey: 'scan-db01', attributes: { hostname: 'db01', domain: 'corp' } }] } });
  expect(multi.reconcile.items[0].operation).toBe('ERROR');
});

it('leaves one CI with both relationships, histories and values, and the duplicate record closed', async () => {
  const openBefore = await gql('{ cmdbHealth { duplicates { openRecords { id candidates } } } }');
  expect(openBefore.cmdbHealth.duplicates.openRecords).toHaveLength(1);

  const merged = await gql(`mutation { mergeCis(survivor: { name: "db01" }, duplicate: { name: "db01-old" }) {
    survivor { id name owner supportGroup attributes } fieldsTaken relationshipsMoved sourceRecordsMoved duplicateRecordsClosed } }`);
  expect(merged.mergeCis).toEqual({
    survivor: { id: ids.db01, name: 'db01', owner: 'dba', supportGroup: 'Unix', attributes: { hostname: 'db01', domain: 'corp', cpuCount: 8, serialNumber: 'SN-DB01', memoryGb: 128 } },
    fieldsTaken: ['supportGroup', 'memoryGb', 'serialNumber'],
    relationshipsMoved: 2,
    sourceRecordsMoved: 1,
    duplicateRecordsClosed: 1,
  });
  // The whole graph: one server, both relationships (LOCATED_IN rack-7 once), nothing else lost.
  expect(await graph.snapshot()).toEqual({
    nodes: [['Application', 'billing'], ['LinuxServer', 'db01'], ['Rack', 'rack-7']],
    edges: [['billing', 'RUNS_ON', 'db01'], ['db01', 'LOCATED_IN', 'rack-7']],
  });
  const located = await graph.client.read("MATCH (:CI {name: 'db01'})-[r:LOCATED_IN]->() RETURN r.sources AS s");
  expect(located.records[0].get('s')).toEqual(['manual']);
  expect((await gql('{ cmdbHealth { duplicates { openRecords { id } } } }')).cmdbHealth.duplicates.openRecords).toEqual([]);

  // Its history shows both CIs' records, the merge and what it took; the duplicate's asOf still works.
  const history = (await gql('query($id: ID!) { ci(id: $id) { history(first: 50) { edges { node { kind field ciId other { name } } } } } }', { id: ids.db01 })).ci.history.edges.map((e: any) => e.node);
  expect(history.filter((n: any) => n.kind === 'MERGED')).toEqual([{ kind: 'MERGED', field: null, ciId: ids.db01, other: null }]);
  expect(history.filter((n: any) => n.kind === 'CREATED').map((n: any) => n.ciId).sort()).toEqual([ids.db01, ids['db01-old']].sort());
  expect(history.filter((n: any) => n.field === 'memoryGb').map((n: any) => n.ciId)).toEqual([ids.db01, ids['db01-old'], ]);
  expect((await http.post('query($id: ID!) { ci(id: $id) { id } }', { id: ids['db01-old'] })).body.errors[0].extensions.code).toBe('NOT_FOUND');
});

it('the next report of the source finds the survivor, by identifiers and by its native key', async () => {
  const again = await gql(RECONCILE, { i: { source: 'scanner', items: [{ ref: 'h', class: 'LinuxServer', sourceNativeKey: 'scan-db01', attributes: { hostname: 'db01', domain: 'corp', osName: 'Debian' } }] } });
  expect(again.reconcile.items[0]).toMatchObject({ operation: 'UPDATED', ciId: ids.db01 });
});

it('refuses merging a CI with itself, across class lines, or a missing CI; the viewer may not merge', async () => {
  const app = ids.billing;
  const bad = async (variables: Record<string, unknown>, token?: string) => (await http.post('mutation($a: ID, $b: ID) { mergeCis(survivorId: $a, duplicateId: $b) { fieldsTaken } }', variables, { token })).body.errors[0].extensions;
  expect(await bad({ a: app, b: app })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'duplicate' });
  expect(await bad({ a: app, b: ids['rack-7'] })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'duplicate' });
  expect(await bad({ a: app, b: ids['db01-old'] })).toMatchObject({ code: 'NOT_FOUND', field: 'duplicate' });
  expect(await bad({ a: app, b: ids['rack-7'] }, await http.token('viewer'))).toMatchObject({ code: 'FORBIDDEN' });
  expect((await graph.snapshot()).nodes).toHaveLength(3);
});

it('dismisses a duplicate record that is not one', async () => {
  await gql('mutation { createCi(input: { class: "LinuxServer", name: "twin-a", attributes: { hostname: "twin", domain: "lab" } }) { id } }');
  await gql('mutation { createCi(input: { class: "LinuxServer", name: "twin-b", allowDuplicate: true, attributes: { hostname: "twin", domain: "lab" } }) { id } }');
  await gql(RECONCILE, { i: { source: 'scanner', items: [{ ref: 't', class: 'LinuxServer', attributes: { hostname: 'twin', domain: 'lab' } }] } });
  const [record] = (await gql('{ cmdbHealth { duplicates { openRecords { id } } } }')).cmdbHealth.duplicates.openRecords;
  const dismissed = await gql('mutation($id: ID!) { dismissDuplicate(id: $id, reason: "two blades sharing a name in different chassis") { status reason resolvedBy candidates } }', { id: record.id });
  expect(dismissed.dismissDuplicate).toMatchObject({ status: 'DISMISSED', reason: 'two blades sharing a name in different chassis', resolvedBy: expect.stringMatching(/^token:test-admin-/) });
  expect(dismissed.dismissDuplicate.candidates).toHaveLength(2);
  expect((await gql('{ cmdbHealth { duplicates { openRecords { id } } } }')).cmdbHealth.duplicates.openRecords).toEqual([]);
  expect((await http.post('mutation($id: ID!) { dismissDuplicate(id: $id) { status } }', { id: record.id })).body.errors[0].extensions.code).toBe('NOT_FOUND');
});
