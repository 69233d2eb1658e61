/**
 * Deleting CIs found from a source's records (retired past retention, or reported by the deleted source alone) walks
 * those records in key order, batch after batch: each qualifying CI goes once, with its records and history, and
 * nothing else is touched, whatever the batches hold.
 */
import { TestGraph } from '../support/graph';
import { TestApi } from '../support/api';
import { useTestApi } from '../support/suite';
import { finishRun, reconcile, registerSource, startRun } from '../support/reconcile';
import { deleteRetiredCis, flagMissingRecords } from '../../src/graph/cleanup.queries';
import { countSoleSourceCis, deleteSoleSourceCis, deleteSourceRecords } from '../../src/graph/source-deletion.queries';

let graph: TestGraph;
let api: TestApi;

useTestApi((g, a) => ([graph, api] = [g, a]), { wipeEach: true });

const pod = (uid: string) => ({ ref: uid, class: 'KubernetesPod', name: uid, attributes: { uid } });
const chainOf = (names: string[]) => names.slice(1).map((n, i) => ({ from: names[i], to: n, type: 'DEPENDS_ON' }));

async function fullRun(source: string, scope: string, items: unknown[], relationships: unknown[] = []) {
  const runId = await startRun(api, source, scope, 'FULL');
  await reconcile(api, { source, runId, items, relationships });
  return finishRun(api, runId, 'SUCCEEDED');
}

async function records(): Promise<string[]> {
  const r = await graph.client.read('MATCH (s:SourceRecord), (c:CI {id: s.ciId}) RETURN s.source + ":" + c.name AS r ORDER BY r');
  return r.records.map((x) => x.get('r'));
}

async function history(): Promise<string[]> {
  const r = await graph.client.read(
    `MATCH (h:ChangeRecord) WHERE h.kind IN ['DELETED', 'RELATIONSHIP_REMOVED']
     RETURN h.kind + ' ' + h.ciId + coalesce(' ' + h.otherId, '') + ' by ' + h.actor AS h ORDER BY h`);
  return r.records.map((x) => x.get('h'));
}

async function idsOf(names: string[]): Promise<Map<string, string>> {
  const r = await graph.client.read('MATCH (c:CI) WHERE c.name IN $names RETURN c.name AS name, c.id AS id', { names });
  return new Map(r.records.map((x) => [x.get('name'), x.get('id')]));
}

// In batches of 2 the walk resumes from its cursor after deleting; in one batch both ends of an edge go together.
it.each([2, 100])('deletes the CIs retired past retention in batches of %i, each once with its history, keeping what is still reported', async (batch) => {
  await registerSource(api, { name: 'k8s', kind: 'DISCOVERY', deletionPolicy: 'RETIRE_THEN_DELETE', retentionDays: 0 });
  // k8s-b's keys sort next to k8s's; cloud still reports p5.
  await registerSource(api, { name: 'k8s-b', kind: 'DISCOVERY' });
  await registerSource(api, { name: 'cloud', kind: 'DISCOVERY' });
  const names = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'];
  await fullRun('k8s', 'a', names.map(pod), chainOf(names));
  await fullRun('k8s', 'b', [pod('q1')]);
  await fullRun('k8s-b', 'a', [pod('r1')]);
  await fullRun('cloud', 'acct', [pod('p5')]);
  const ids = await idsOf(names);
  // The next run of scope a reports p1 and p2; its cleanup runs by hand.
  const runId = await startRun(api, 'k8s', 'a', 'FULL');
  await reconcile(api, { source: 'k8s', runId, items: [pod('p1'), pod('p2')], relationships: chainOf(['p1', 'p2']) });
  const now = new Date().toISOString();
  const scope = { source: 'k8s', scope: 'a', runId, now, principal: null };
  expect(await flagMissingRecords(graph.client, { ...scope, markCis: 'RETIRED' }, batch)).toEqual({ missing: 5, marked: 4 });
  expect(await deleteRetiredCis(graph.client, { ...scope, retiredBefore: now }, batch)).toBe(4);
  expect(await deleteRetiredCis(graph.client, { ...scope, retiredBefore: now }, batch)).toBe(0);
  expect(await graph.snapshot()).toEqual({
    nodes: [['KubernetesPod', 'p1'], ['KubernetesPod', 'p2'], ['KubernetesPod', 'p5'], ['KubernetesPod', 'q1'], ['KubernetesPod', 'r1']],
    edges: [['p1', 'DEPENDS_ON', 'p2']],
  });
  // p5's k8s record stays, flagged: it is cloud's CI now.
  expect(await records()).toEqual(['cloud:p5', 'k8s-b:r1', 'k8s:p1', 'k8s:p2', 'k8s:p5', 'k8s:q1']);
  const id = (n: string) => ids.get(n)!;
  // Every edge that went is recorded once, though both its ends may go in one batch.
  expect(await history()).toEqual([
    ...['p3', 'p4', 'p6', 'p7'].map((n) => `DELETED ${id(n)} by k8s`),
    ...[['p2', 'p3'], ['p3', 'p4'], ['p4', 'p5'], ['p5', 'p6'], ['p6', 'p7']].map(([a, b]) => `RELATIONSHIP_REMOVED ${id(a)} ${id(b)} by k8s`),
  ].sort());
});

it('deletes the CIs a deleted source alone reported, then its records, in batches, leaving the other sources\' records', async () => {
  for (const name of ['k8s', 'k8s-b', 'cloud']) await registerSource(api, { name, kind: 'DISCOVERY' });
  const names = ['p1', 'p2', 'p3', 'p4', 'p5'];
  await fullRun('k8s', 'a', names.map(pod), chainOf(names));
  await fullRun('k8s', 'b', [pod('q1')]);
  await fullRun('cloud', 'acct', [pod('p3')]);
  await fullRun('k8s-b', 'a', [pod('p1'), pod('r1')]);
  const ids = await idsOf([...names, 'q1']);
  expect(await countSoleSourceCis(graph.client, 'k8s')).toBe(4);
  const by = { source: 'k8s', now: new Date().toISOString(), principal: null };
  expect(await deleteSoleSourceCis(graph.client, by, 2)).toBe(4);
  expect(await deleteSourceRecords(graph.client, 'k8s', 2)).toBe(2);
  expect(await graph.snapshot()).toEqual({ nodes: [['KubernetesPod', 'p1'], ['KubernetesPod', 'p3'], ['KubernetesPod', 'r1']], edges: [] });
  expect(await records()).toEqual(['cloud:p3', 'k8s-b:p1', 'k8s-b:r1']);
  const id = (n: string) => ids.get(n)!;
  expect(await history()).toEqual([
    ...['p2', 'p4', 'p5', 'q1'].map((n) => `DELETED ${id(n)} by k8s`),
    ...[['p1', 'p2'], ['p2', 'p3'], ['p3', 'p4'], ['p4', 'p5']].map(([a, b]) => `RELATIONSHIP_REMOVED ${id(a)} ${id(b)} by k8s`),
  ].sort());
});
