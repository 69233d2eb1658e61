/** Sync runs of one source and scope: two FULL runs at once are refused, and a run its connector abandoned expires. */
import { TestGraph } from '../support/graph';
import { HttpApp, useHttpApp } from '../support/http-app';

let graph: TestGraph;
let http: HttpApp;
useHttpApp((g, h) => ([graph, http] = [g, h]));

const START = 'mutation($m: SyncMode!, $c: String!) { startSyncRun(source: "runs-src", scope: $c, mode: $m) { id status } }';

beforeAll(() => http.ok('mutation { registerSource(input: { name: "runs-src", kind: DISCOVERY }) { name } }'));

it('refuses a second FULL run of the same source and scope with CONFLICT saying what to do; other scopes and DELTA runs go ahead', async () => {
  const first = (await http.ok(START, { m: 'FULL', c: 'dc1' })).startSyncRun;
  const second = await http.post(START, { m: 'FULL', c: 'dc1' });
  expect(second.body.errors[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'scope' });
  expect(second.body.errors[0].message).toContain(`finishSyncRun(runId: "${first.id}", status: ABORTED)`);
  expect((await http.ok(START, { m: 'FULL', c: 'dc2' })).startSyncRun.status).toBe('RUNNING');
  expect((await http.ok(START, { m: 'DELTA', c: 'dc1' })).startSyncRun.status).toBe('RUNNING');
  // Concurrent starts: exactly one FULL run of a fresh scope wins.
  const racing = await Promise.all([1, 2, 3].map(() => http.post(START, { m: 'FULL', c: 'dc3' })));
  expect(racing.map((r) => r.body.errors?.[0]?.extensions?.code ?? 'OK').sort()).toEqual(['CONFLICT', 'CONFLICT', 'OK']);
  await http.ok('mutation($id: ID!) { finishSyncRun(runId: $id, status: ABORTED) { status } }', { id: first.id });
  expect((await http.ok(START, { m: 'FULL', c: 'dc1' })).startSyncRun.status).toBe('RUNNING');
});

it('a run left RUNNING by a dead connector expires as FAILED when the next run starts', async () => {
  const abandoned = (await http.ok(START, { m: 'FULL', c: 'edge' })).startSyncRun;
  await graph.client.write("MATCH (r:SyncRun {id: $id}) SET r.startedAt = '2026-01-01T00:00:00.000Z'", { id: abandoned.id });
  expect((await http.ok(START, { m: 'FULL', c: 'edge' })).startSyncRun.status).toBe('RUNNING');
  const old = (await http.ok('query($id: ID!) { syncRun(id: $id) { status finishedBy } }', { id: abandoned.id })).syncRun;
  expect(old).toEqual({ status: 'FAILED', finishedBy: 'expired' });
});
