import { Catalog } from '../src/model/catalog';
import { Neo4jClient } from '../src/graph/client';
import { ensureSchema } from '../src/graph/schema-bootstrap';
import { ReconcileService } from '../src/reconcile/reconcile.service';
import { SyncRunService } from '../src/reconcile/sync-runs.service';
import { CmdbMetrics } from '../src/observability/metrics';
import { reconcileBatch, BenchBatch } from './reconcile-data';
import { seconds, wipe } from './bench-neo4j';

export interface ReconcileBenchResult {
  /** CIs the second FULL run no longer reported, and how long finishing it took. */
  cleanedCis: number;
  cleanupMs: number;
  cis: number;
  relationships: number;
  baselineMs: number;
  engineMs: number;
  baselineCisPerSecond: number;
  engineCisPerSecond: number;
  ratio: number;
}

/** The baseline: the same records written by plain UNWIND ... MERGE on their identifier, no identification or provenance. */
async function baselineBatch(client: Neo4jClient, batch: BenchBatch): Promise<void> {
  const servers = batch.items.filter((i) => i.class === 'LinuxServer').map((i) => ({ key: i.attributes.serialNumber, props: { ...i.attributes, name: i.attributes.hostname, class: i.class } }));
  const vms = batch.items.filter((i) => i.class === 'VirtualMachine').map((i) => ({ key: i.attributes.cloudInstanceId, props: { ...i.attributes, name: i.attributes.hostname, class: i.class } }));
  const keyOf = new Map(batch.items.map((i) => [i.ref, String(i.attributes.serialNumber ?? i.attributes.cloudInstanceId)]));
  await client.writeTx(async (tx) => {
    await client.run(tx, 'UNWIND $rows AS row MERGE (c:CI:ConfigurationItem:Computer:Server:LinuxServer {serialNumber: row.key}) ON CREATE SET c.id = randomUUID() SET c += row.props', { rows: servers });
    await client.run(tx, 'UNWIND $rows AS row MERGE (c:CI:ConfigurationItem:Computer:VirtualMachine {cloudInstanceId: row.key}) ON CREATE SET c.id = randomUUID() SET c += row.props', { rows: vms });
    // One query per (type, source key): every endpoint is an index seek on its identifier.
    for (const type of ['HOSTED_ON', 'CONNECTS_TO']) {
      for (const fromKey of ['serialNumber', 'cloudInstanceId']) {
        const rows = batch.relationships
          .filter((r) => r.type === type && (r.from.startsWith('s') === (fromKey === 'serialNumber')))
          .map((r) => ({ from: keyOf.get(r.from), to: keyOf.get(r.to) }));
        if (!rows.length) continue;
        await client.run(tx,
          `UNWIND $rows AS row
           WITH row.from AS fromKey, row.to AS toKey
           MATCH (a:CI {${fromKey}: fromKey})
           MATCH (b:CI {serialNumber: toKey})
           MERGE (a)-[:${type}]->(b)`, { rows });
      }
    }
  });
}

export async function runReconcileBench(client: Neo4jClient, catalog: Catalog, batches: number, log: (m: string) => void): Promise<ReconcileBenchResult> {
  // Batches are generated as they are sent (each is the same size), so a million-CI run holds one at a time.
  const first = reconcileBatch(0);
  const cis = first.items.length * batches;
  const relationships = first.relationships.length * batches;
  const batchesOf = function* () {
    for (let b = 0; b < batches; b++) yield b === 0 ? first : reconcileBatch(b);
  };

  await wipe(client);
  await ensureSchema(client, catalog);
  let t = Date.now();
  for (const batch of batchesOf()) await baselineBatch(client, batch);
  const baselineMs = Date.now() - t;
  log(`baseline: ${cis} CIs, ${relationships} relationships in ${seconds(baselineMs)} s`);

  await wipe(client);
  await ensureSchema(client, catalog);
  // Metrics as in production: every round trip, transaction and batch observed.
  const metrics = new CmdbMetrics(() => client.poolStats());
  const observed = client.observedBy(metrics);
  const runs = new SyncRunService(observed, catalog, metrics);
  await runs.registerSource({ name: 'bench', kind: 'DISCOVERY' });
  const run = await runs.startRun('bench', 'bench-estate', 'FULL');
  const engine = new ReconcileService(observed, catalog, metrics);
  t = Date.now();
  let b = 0;
  for (const batch of batchesOf()) {
    b += 1;
    if (b % 20 === 0) log(`engine:   ${b} of ${batches} batches`);
    const result = await engine.reconcile({ source: 'bench', runId: run.id, items: batch.items, relationships: batch.relationships });
    if (result.totals.errors || result.totals.relationshipErrors) throw new Error(`batch ${b}: ${JSON.stringify(result.totals)}`);
  }
  await runs.finishRun(run.id, 'SUCCEEDED');
  const engineMs = Date.now() - t;
  log(`engine:   ${cis} CIs, ${relationships} relationships in ${seconds(engineMs)} s`);
  const check = await client.read('MATCH (c:CI) WITH count(c) AS cis CALL () { MATCH (:CI)-[r]->(:CI) RETURN count(r) AS rels } RETURN cis, rels');
  if (check.records[0].get('cis') !== cis || check.records[0].get('rels') !== relationships) {
    throw new Error(`engine wrote ${check.records[0].get('cis')} CIs and ${check.records[0].get('rels')} relationships, expected ${cis} and ${relationships}`);
  }
  const baselineCisPerSecond = cis / (baselineMs / 1000);
  const engineCisPerSecond = cis / (engineMs / 1000);

  // The next FULL run of the scope reports only the first batch: finishing it handles every other CI as no
  // longer reported (marked stale, the source's default policy), in one go.
  const next = await runs.startRun('bench', 'bench-estate', 'FULL');
  await engine.reconcile({ source: 'bench', runId: next.id, items: first.items, relationships: first.relationships });
  t = Date.now();
  await runs.finishRun(next.id, 'SUCCEEDED');
  const cleanupMs = Date.now() - t;
  const marked = await client.read(`MATCH (c:CI) WHERE c.staleSince IS NOT NULL RETURN count(c) AS n`);
  const cleanedCis = marked.records[0].get('n') as number;
  if (cleanedCis !== cis - first.items.length) throw new Error(`cleanup marked ${cleanedCis} CIs stale, expected ${cis - first.items.length}`);
  log(`cleanup:  ${cleanedCis} CIs no longer reported, handled in ${seconds(cleanupMs)} s`);
  return { cis, relationships, baselineMs, engineMs, baselineCisPerSecond, engineCisPerSecond, ratio: engineCisPerSecond / baselineCisPerSecond, cleanedCis, cleanupMs };
}
