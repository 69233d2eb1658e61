import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { openTestGraph, TestGraph } from '../support/graph';
import { TestApi } from '../support/api';
import { finishRun, reconcile, registerSource, startRun } from '../support/reconcile';
import { startLocalNeo4j, LocalNeo4j } from '../../src/server/local-neo4j';

/*
 * A cleanup batch that waits on another writer's lock. Neo4j waits for a lock forever by default; with a lock wait
 * timeout (an operator's choice, dynamic only in Enterprise) the batch fails with LockAcquisitionTimeout, which the
 * driver retries for 2 s and the cleanup then runs again as a whole. This file's own Neo4j has a timeout of 0.5 s.
 */

let neo: LocalNeo4j;
let home: string;
let graph: TestGraph;
let api: TestApi;

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'cmdb-lock-neo4j-'));
  neo = await startLocalNeo4j({ homeDir: home, boltPort: 0, heapMax: '512m', pageCache: '64m', settings: { 'db.lock.acquisition.timeout': '500ms' } });
  graph = await openTestGraph(undefined, neo);
  api = await TestApi.create(graph);
}, 180000);

afterAll(async () => {
  await api?.stop();
  await graph?.close();
  await neo?.stop();
  fs.rmSync(home, { recursive: true, force: true });
});

const pod = (uid: string) => ({ ref: uid, class: 'KubernetesPod', name: uid, attributes: { uid } });

async function fullRun(source: string, scope: string, items: unknown[]) {
  const runId = await startRun(api, source, scope, 'FULL');
  await reconcile(api, { source, runId, items });
  return finishRun(api, runId, 'SUCCEEDED');
}

/** Finishes `runId` while another transaction holds CI `held` for `holdMs`; that writer's change is committed at the end. */
async function finishWhileHeld(runId: string, held: string, holdMs: number): Promise<{ finished: any; waitedMs: number }> {
  const session = graph.client.driver.session({ database: graph.client.database });
  const holder = await session.beginTransaction();
  try {
    await holder.run('MATCH (c:CI {name: $held}) SET c.description = $text', { held, text: 'edited meanwhile' });
    const release = new Promise<void>((resolve, reject) => setTimeout(() => holder.commit().then(resolve, reject), holdMs));
    const started = Date.now();
    const finished = await finishRun(api, runId, 'SUCCEEDED');
    const waitedMs = Date.now() - started;
    await release;
    return { finished, waitedMs };
  } finally {
    if (holder.isOpen()) await holder.rollback();
    await session.close();
  }
}

it('a cleanup batch that keeps losing a lock past the driver\'s retries runs again, and the other writer\'s change survives', async () => {
  await registerSource(api, { name: 'k8s', kind: 'DISCOVERY', deletionPolicy: 'MARK_STALE' });
  await fullRun('k8s', 'a', ['p1', 'p2', 'p3'].map(pod));
  const runId = await startRun(api, 'k8s', 'a', 'FULL');
  await reconcile(api, { source: 'k8s', runId, items: [pod('p1')] });

  // Held for 6 s: the driver's retries end after about 2 s (each waiting 0.5 s for the lock), so only a second run
  // of the whole batch gets through (with one attempt per batch this test fails on an internal error).
  const { finished, waitedMs } = await finishWhileHeld(runId, 'p3', 6000);
  expect(waitedMs).toBeGreaterThanOrEqual(5500);
  expect(finished.status).toBe('SUCCEEDED');
  expect(finished.cleanup).toEqual({ missingRecords: 2, markedStale: 2, retired: 0, deleted: 0, relationshipsUnasserted: 0, relationshipsRemoved: 0 });

  const cis = await graph.client.read('MATCH (c:CI) RETURN c.name AS name, c.lifecycleStatus AS status, c.description AS description ORDER BY name');
  expect(cis.records.map((r) => [r.get('name'), r.get('status'), r.get('description')])).toEqual([
    ['p1', 'INSTALLED', null], ['p2', 'STALE', null], ['p3', 'STALE', 'edited meanwhile'],
  ]);
  // Each CI marked once, each record flagged once: the attempts that lost the lock left nothing behind.
  const history = await graph.client.read("MATCH (h:ChangeRecord {runId: $runId, field: 'lifecycleStatus'}) RETURN h.ciId AS id", { runId });
  expect(history.records).toHaveLength(2);
  const flagged = await graph.client.read('MATCH (s:SourceRecord) WHERE s.missingSince IS NOT NULL RETURN count(s) AS n');
  expect(flagged.records[0].get('n')).toBe(2);
}, 60000);
