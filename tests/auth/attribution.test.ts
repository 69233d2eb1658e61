/**
 * Every write names the caller that made it: manual edits as their actor, discovered changes beside their source
 * (history's `principal`), and sync runs as who started and finished them, down to the records a cleanup writes.
 */
import { TestGraph } from '../support/graph';
import { HttpApp, useHttpApp } from '../support/http-app';

let graph: TestGraph;
let http: HttpApp;
useHttpApp((g, h) => ([graph, http] = [g, h]));

const tokenName = async (token: string) => (await http.post('{ whoami { name } }', {}, { token })).body.data.whoami.name as string;

it('names the discovery token beside its source in history and on the run, and the editor on manual edits', async () => {
  await http.post('mutation { registerSource(input: { name: "scanner", kind: DISCOVERY, deletionPolicy: MARK_STALE }) { name } }');
  const scanner = await http.token('discovery', 'scanner');
  const editor = await http.token('editor');
  const [scannerName, editorName] = [await tokenName(scanner), await tokenName(editor)];

  const start = async () => (await http.post('mutation { startSyncRun(source: "scanner", scope: "lab", mode: FULL) { id startedBy } }', {}, { token: scanner })).body.data.startSyncRun;
  const first = await start();
  expect(first.startedBy).toBe(scannerName);
  const hosts = ['a', 'b'].map((h) => ({ ref: h, class: 'LinuxServer', attributes: { hostname: `lab-${h}`, domain: 'lab.test', serialNumber: `LAB-${h}` } }));
  const reconciled = await http.post('mutation($i: ReconcileInput!) { reconcile(input: $i) { items { ciId } } }',
    { i: { source: 'scanner', runId: first.id, items: hosts, relationships: [{ from: 'a', to: 'b', type: 'CONNECTS_TO' }] } }, { token: scanner });
  const [a, b] = reconciled.body.data.reconcile.items.map((i: any) => i.ciId);
  const finished = await http.post('mutation($id: ID!) { finishSyncRun(runId: $id, status: SUCCEEDED) { finishedBy } }', { id: first.id }, { token: scanner });
  expect(finished.body.data.finishSyncRun.finishedBy).toBe(scannerName);

  await http.post('mutation($id: ID!) { updateCi(id: $id, input: { owner: "ops" }) { id } }', { id: a }, { token: editor });
  // A second FULL run by the admin that no longer reports b: the cleanup's records name the admin.
  const second = (await http.post('mutation { startSyncRun(source: "scanner", scope: "lab", mode: FULL) { id } }')).body.data.startSyncRun;
  await http.post('mutation($i: ReconcileInput!) { reconcile(input: $i) { totals { items } } }', { i: { source: 'scanner', runId: second.id, items: [hosts[0]] } });
  await http.post('mutation($id: ID!) { finishSyncRun(runId: $id, status: SUCCEEDED) { id } }', { id: second.id });
  const adminName = await tokenName(http.adminToken);

  const history = async (id: string) => (await http.post('query($id: ID!) { ci(id: $id) { history(first: 50) { edges { node { kind field actor principal runId } } } } }', { id }))
    .body.data.ci.history.edges.map((e: any) => e.node);
  // (An edge between two CIs born in the same batch has no record of its own: asOf before it finds neither CI.)
  expect(await history(a)).toEqual([
    { kind: 'RELATIONSHIP_REMOVED', field: null, actor: 'scanner', principal: adminName, runId: second.id },
    { kind: 'UPDATED', field: 'owner', actor: editorName, principal: editorName, runId: null },
    { kind: 'CREATED', field: null, actor: 'scanner', principal: scannerName, runId: first.id },
  ]);
  expect(await history(b)).toEqual(expect.arrayContaining([
    { kind: 'UPDATED', field: 'lifecycleStatus', actor: 'scanner', principal: adminName, runId: second.id },
    { kind: 'CREATED', field: null, actor: 'scanner', principal: scannerName, runId: first.id },
  ]));
  // No record of the API is left without its caller.
  const unnamed = await graph.client.read('MATCH (h:ChangeRecord) WHERE h.principal IS NULL RETURN count(h) AS n');
  expect(unnamed.records[0].get('n')).toBe(0);
});
