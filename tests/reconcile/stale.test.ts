import { TestGraph } from '../support/graph';
import { TestApi } from '../support/api';
import { useTestApi } from '../support/suite';
import { finishRun, reconcile, registerSource, startRun } from '../support/reconcile';
import { flagMissingRecords, recordKeyRange, RECORD_PAGE, withdrawEdgeAssertions } from '../../src/graph/cleanup.queries';

let graph: TestGraph;
let api: TestApi;

useTestApi((g, a) => ([graph, api] = [g, a]), { wipeEach: true });

const pod = (uid: string) => ({ ref: uid, class: 'KubernetesPod', name: uid, attributes: { uid } });

async function statuses(): Promise<string[][]> {
  const r = await graph.client.read('MATCH (c:CI) RETURN c.name AS name, c.lifecycleStatus AS status, c.staleSince IS NOT NULL AS stale ORDER BY name');
  return r.records.map((x) => [x.get('name'), x.get('status'), String(x.get('stale'))]);
}

async function fullRun(source: string, scope: string, items: unknown[], status: string, relationships: unknown[] = []) {
  const runId = await startRun(api, source, scope, 'FULL');
  await reconcile(api, { source, runId, items, relationships });
  return finishRun(api, runId, status);
}

describe('stale handling', () => {
  it('a successful FULL run marks only its own scope\'s missing records; a failed run marks nothing', async () => {
    await registerSource(api, { name: 'k8s', kind: 'DISCOVERY', deletionPolicy: 'MARK_STALE' });
    await fullRun('k8s', 'cluster-a', [pod('a1'), pod('a2'), pod('a3')], 'SUCCEEDED');
    await fullRun('k8s', 'cluster-b', [pod('b1')], 'SUCCEEDED');

    const failed = await fullRun('k8s', 'cluster-a', [pod('a1')], 'FAILED');
    expect(failed).toMatchObject({ status: 'FAILED', cleanup: null });
    expect(await statuses()).toEqual([['a1', 'INSTALLED', 'false'], ['a2', 'INSTALLED', 'false'], ['a3', 'INSTALLED', 'false'], ['b1', 'INSTALLED', 'false']]);

    // A run not finished triggers nothing either, nor does one then ABORTED (a second FULL run of the scope
    // would be refused while it is RUNNING).
    const open = await startRun(api, 'k8s', 'cluster-a');
    await reconcile(api, { source: 'k8s', runId: open, items: [pod('a1')] });
    expect(await statuses()).toEqual([['a1', 'INSTALLED', 'false'], ['a2', 'INSTALLED', 'false'], ['a3', 'INSTALLED', 'false'], ['b1', 'INSTALLED', 'false']]);
    await api.ok('mutation($id: ID!) { finishSyncRun(runId: $id, status: ABORTED) { status } }', { id: open });

    const ok = await fullRun('k8s', 'cluster-a', [pod('a1'), pod('a2')], 'SUCCEEDED');
    expect(ok.cleanup).toEqual({ missingRecords: 1, markedStale: 1, retired: 0, deleted: 0, relationshipsUnasserted: 0, relationshipsRemoved: 0 });
    expect(await statuses()).toEqual([['a1', 'INSTALLED', 'false'], ['a2', 'INSTALLED', 'false'], ['a3', 'STALE', 'true'], ['b1', 'INSTALLED', 'false']]);

    // It comes back: restored, with the change explained.
    const back = await reconcile(api, { source: 'k8s', items: [pod('a3')] });
    expect(back.items[0].changes).toEqual([{ field: 'lifecycleStatus', oldValue: 'STALE', newValue: 'INSTALLED', reason: expect.stringContaining('reported again') }]);
    expect((await statuses())[2]).toEqual(['a3', 'INSTALLED', 'false']);
  });

  it('a CI still reported by another source is not marked stale', async () => {
    await registerSource(api, { name: 'k8s', kind: 'DISCOVERY' });
    await registerSource(api, { name: 'cloud', kind: 'DISCOVERY' });
    await fullRun('k8s', 'c', [pod('p1'), pod('p2')], 'SUCCEEDED');
    await fullRun('cloud', 'acct', [pod('p2')], 'SUCCEEDED');
    await fullRun('k8s', 'c', [], 'SUCCEEDED');
    expect(await statuses()).toEqual([['p1', 'STALE', 'true'], ['p2', 'INSTALLED', 'false']]);
  });

  it('IGNORE flags the records a run did not report and leaves their CIs and history alone', async () => {
    await registerSource(api, { name: 'scan', kind: 'DISCOVERY', deletionPolicy: 'IGNORE' });
    await fullRun('scan', 'net', [pod('n1'), pod('n2')], 'SUCCEEDED');
    const ok = await fullRun('scan', 'net', [pod('n1')], 'SUCCEEDED');
    expect(ok.cleanup).toEqual({ missingRecords: 1, markedStale: 0, retired: 0, deleted: 0, relationshipsUnasserted: 0, relationshipsRemoved: 0 });
    expect(await statuses()).toEqual([['n1', 'INSTALLED', 'false'], ['n2', 'INSTALLED', 'false']]);
    const records = await graph.client.read('MATCH (s:SourceRecord), (c:CI {id: s.ciId}) RETURN c.name AS name, s.missingSince IS NOT NULL AS missing ORDER BY name');
    expect(records.records.map((r) => [r.get('name'), r.get('missing')])).toEqual([['n1', false], ['n2', true]]);
    const lifecycle = await graph.client.read("MATCH (h:ChangeRecord {field: 'lifecycleStatus'}) RETURN count(h) AS n");
    expect(lifecycle.records[0].get('n')).toBe(0);
  });

  it('RETIRE_THEN_DELETE retires, then deletes after the retention period, keeping the rest', async () => {
    await registerSource(api, { name: 'scan', kind: 'DISCOVERY', deletionPolicy: 'RETIRE_THEN_DELETE', retentionDays: 0 });
    await registerSource(api, { name: 'keep', kind: 'DISCOVERY', deletionPolicy: 'RETIRE_THEN_DELETE', retentionDays: 30 });
    await fullRun('scan', 'net', [pod('gone'), pod('stays')], 'SUCCEEDED');
    await fullRun('keep', 'net', [pod('k-gone'), pod('k-stays')], 'SUCCEEDED');
    const scan = await fullRun('scan', 'net', [pod('stays')], 'SUCCEEDED');
    expect(scan.cleanup).toMatchObject({ retired: 1, deleted: 1 });
    const keep = await fullRun('keep', 'net', [pod('k-stays')], 'SUCCEEDED');
    expect(keep.cleanup).toMatchObject({ retired: 1, deleted: 0 });
    expect(await statuses()).toEqual([['k-gone', 'RETIRED', 'true'], ['k-stays', 'INSTALLED', 'false'], ['stays', 'INSTALLED', 'false']]);
    const deleted = await graph.client.read("MATCH (h:ChangeRecord {kind: 'DELETED'}) RETURN h.oldValue AS snap");
    expect(JSON.parse(deleted.records[0].get('snap'))).toMatchObject({ name: 'gone', class: 'KubernetesPod', lifecycleStatus: 'RETIRED' });
  });

  it('a relationship asserted by two sources survives when one stops asserting it, and goes when none does', async () => {
    await registerSource(api, { name: 'apm', kind: 'DISCOVERY' });
    await registerSource(api, { name: 'cmdbimport', kind: 'IMPORT' });
    const items = [{ ref: 'app', class: 'Application', name: 'shop', attributes: { applicationCode: 'SHOP' } }, { ref: 'db', class: 'Application', name: 'catalog', attributes: { applicationCode: 'CAT' } }];
    const edge = [{ from: 'app', to: 'db', type: 'DEPENDS_ON' }];
    await fullRun('apm', 'prod', items, 'SUCCEEDED', edge);
    const second = await startRun(api, 'cmdbimport', 'all');
    const asserted = await reconcile(api, { source: 'cmdbimport', runId: second, items, relationships: edge });
    expect(asserted.relationships[0].operation).toBe('UPDATED');
    await finishRun(api, second, 'SUCCEEDED');
    const sources = async () => (await api.ok(`{ cis(first: 1, filter: { nameContains: "shop" }) { edges { node { relationships(direction: OUTGOING) { type sources ci { name } } } } } }`)).cis.edges[0].node.relationships;
    expect(await sources()).toEqual([{ type: 'DEPENDS_ON', sources: ['apm', 'cmdbimport'], ci: { name: 'catalog' } }]);

    const apmAgain = await fullRun('apm', 'prod', items, 'SUCCEEDED');
    expect(apmAgain.cleanup).toMatchObject({ relationshipsUnasserted: 1, relationshipsRemoved: 0 });
    expect(await sources()).toEqual([{ type: 'DEPENDS_ON', sources: ['cmdbimport'], ci: { name: 'catalog' } }]);

    const importAgain = await fullRun('cmdbimport', 'all', items, 'SUCCEEDED');
    expect(importAgain.cleanup).toMatchObject({ relationshipsUnasserted: 1, relationshipsRemoved: 1 });
    expect(await graph.snapshot()).toEqual({ nodes: [['Application', 'catalog'], ['Application', 'shop']], edges: [] });
  });

  it('a FULL run withdraws only its own scope\'s edges, whatever characters the scopes hold', async () => {
    await registerSource(api, { name: 'net', kind: 'DISCOVERY' });
    const app = (code: string) => ({ ref: code, class: 'Application', name: code, attributes: { applicationCode: code } });
    const scopes = ['dc1', 'dc1|x', 'dc1%7Cx', 'dc1|', '|'];
    for (const [i, scope] of scopes.entries()) {
      await fullRun('net', scope, [app(`a${i}`), app(`b${i}`)], 'SUCCEEDED', [{ from: `a${i}`, to: `b${i}`, type: 'DEPENDS_ON' }]);
    }
    // Each scope's run now reports its CIs but no edge: only that scope's edge goes, every other one stays.
    for (const [i, scope] of scopes.entries()) {
      const run = await fullRun('net', scope, [app(`a${i}`), app(`b${i}`)], 'SUCCEEDED');
      expect(run.cleanup).toMatchObject({ relationshipsUnasserted: 1, relationshipsRemoved: 1 });
      const expected = scopes.map((_, j) => ['a' + j, 'DEPENDS_ON', 'b' + j]).filter((_, j) => j > i);
      expect((await graph.snapshot()).edges).toEqual(expected);
    }
  });

  it('cleans up a large scope in bounded batches', async () => {
    await registerSource(api, { name: 'bulk', kind: 'DISCOVERY' });
    const many = Array.from({ length: 12000 }, (_, i) => pod(`p${i}`));
    const runId = await startRun(api, 'bulk', 'big');
    for (let i = 0; i < many.length; i += 5000) await reconcile(api, { source: 'bulk', runId, items: many.slice(i, i + 5000) });
    await finishRun(api, runId, 'SUCCEEDED');
    const result = await fullRun('bulk', 'big', many.slice(0, 10), 'SUCCEEDED');
    expect(result.cleanup).toMatchObject({ missingRecords: 11990, markedStale: 11990 });
    const stale = await graph.client.read("MATCH (c:CI {lifecycleStatus: 'STALE'}) RETURN count(c) AS n");
    expect(stale.records[0].get('n')).toBe(11990);
  }, 180000);

  it('rejects reconciling into a finished or foreign run', async () => {
    await registerSource(api, { name: 'k8s', kind: 'DISCOVERY' });
    await registerSource(api, { name: 'other', kind: 'DISCOVERY' });
    const runId = await startRun(api, 'k8s', 'c');
    const foreign = await api.run(`mutation($input: ReconcileInput!) { reconcile(input: $input) { source } }`, { input: { source: 'other', runId, items: [] } });
    expect(foreign.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'runId' });
    await finishRun(api, runId, 'ABORTED');
    const late = await api.run(`mutation($input: ReconcileInput!) { reconcile(input: $input) { source } }`, { input: { source: 'k8s', runId, items: [pod('x')] } });
    expect(late.errors![0].message).toContain('is ABORTED');
    const twice = await api.run(`mutation($id: ID!) { finishSyncRun(runId: $id, status: SUCCEEDED) { id } }`, { id: runId });
    expect(twice.errors![0].message).toContain('already ABORTED');
    expect((await graph.snapshot()).nodes).toEqual([]);
  });

  it('works through a scope in key order, batch after batch, handling each record and edge once and nothing outside it', async () => {
    await registerSource(api, { name: 'k8s', kind: 'DISCOVERY', deletionPolicy: 'MARK_STALE' });
    await registerSource(api, { name: 'cloud', kind: 'DISCOVERY' });
    const names = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'];
    const chain = names.slice(1).map((n, i) => ({ from: names[i], to: n, type: 'DEPENDS_ON' }));
    await fullRun('k8s', 'a', names.map(pod), 'SUCCEEDED', chain);
    await fullRun('k8s', 'b', [pod('q1')], 'SUCCEEDED');
    await fullRun('cloud', 'acct', [pod('p5')], 'SUCCEEDED');
    // The next run of scope a reports p1 and p2 and their edge only; its cleanup runs by hand in batches of 2.
    const runId = await startRun(api, 'k8s', 'a', 'FULL');
    await reconcile(api, { source: 'k8s', runId, items: [pod('p1'), pod('p2')], relationships: chain.slice(0, 1) });
    const scope = { source: 'k8s', scope: 'a', runId, now: new Date().toISOString(), principal: null };
    // p5 is still reported by cloud: its record is flagged, the CI stays.
    expect(await flagMissingRecords(graph.client, { ...scope, markCis: 'STALE' }, 2)).toEqual({ missing: 5, marked: 4 });
    expect(await flagMissingRecords(graph.client, { ...scope, markCis: 'STALE' }, 2)).toEqual({ missing: 0, marked: 0 });
    expect(await withdrawEdgeAssertions(graph.client, scope, 2)).toEqual({ unasserted: 5, removed: 5 });
    expect(await statuses()).toEqual([
      ['p1', 'INSTALLED', 'false'], ['p2', 'INSTALLED', 'false'], ['p3', 'STALE', 'true'], ['p4', 'STALE', 'true'],
      ['p5', 'INSTALLED', 'false'], ['p6', 'STALE', 'true'], ['p7', 'STALE', 'true'], ['q1', 'INSTALLED', 'false'],
    ]);
    const edges = await graph.client.read('MATCH (a:CI)-[r]->(b:CI) RETURN a.name + ">" + b.name AS e ORDER BY e');
    expect(edges.records.map((r) => r.get('e'))).toEqual(['p1>p2']);
    const history = await graph.client.read(`MATCH (h:ChangeRecord {runId: $runId}) RETURN h.kind AS kind, count(*) AS n ORDER BY kind`, { runId });
    expect(history.records.map((r) => [r.get('kind'), r.get('n')])).toEqual([['RELATIONSHIP_REMOVED', 5], ['UPDATED', 4]]);
  });

  it('reads a batch of the record walk from its cursor, not from the first of the source\'s keys', async () => {
    await registerSource(api, { name: 'k8s', kind: 'DISCOVERY' });
    await registerSource(api, { name: 'k8s-b', kind: 'DISCOVERY' });
    await fullRun('k8s', 'a', Array.from({ length: 30 }, (_, i) => pod(`p${i}`)), 'SUCCEEDED');
    await fullRun('k8s-b', 'a', [pod('p0'), pod('p1')], 'SUCCEEDED');
    const keys = (await graph.client.read("MATCH (s:SourceRecord {source: 'k8s'}) RETURN s.key AS key ORDER BY key")).records.map((r) => r.get('key') as string);
    const result = await graph.client.read(`PROFILE ${RECORD_PAGE} RETURN [s IN page | s.key] AS page`, { ...recordKeyRange('k8s'), after: keys[19], upTo: null, batchSize: 5 });
    expect(result.records[0].get('page')).toEqual(keys.slice(20, 25));
    // The index seek starts at the cursor: the 5 keys and the one that ends the LIMIT, not the 20 before them.
    const operators: { operatorType: string; rows: number; children: unknown[] }[] = [];
    const walk = (p: { operatorType: string; rows: number; children: unknown[] }) => { operators.push(p); p.children.forEach((c) => walk(c as typeof p)); };
    walk(result.summary.profile as never);
    const seek = operators.find((o) => o.operatorType.startsWith('NodeUniqueIndexSeekByRange'))!;
    expect(seek).toBeDefined();
    expect(Number(seek.rows)).toBeLessThanOrEqual(6);
    // Past the last key of the source the walk ends, though k8s-b's keys follow.
    const end = await graph.client.read(`${RECORD_PAGE} RETURN size(page) AS n`, { ...recordKeyRange('k8s'), after: keys[29], upTo: null, batchSize: 5 });
    expect(end.records[0].get('n')).toBe(0);
  });
});
