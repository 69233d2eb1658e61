import { ManagedTransaction } from 'neo4j-driver';
import { Neo4jClient } from './client';
import { unitSubquery, WriteStep } from './write-steps';
import { CleanupReport, DataSource, SyncRun } from '../reconcile/sources.types';

const toSource = (p: Record<string, unknown>): DataSource => p as unknown as DataSource;

function toRun(p: Record<string, unknown>): SyncRun {
  return {
    ...(p as unknown as SyncRun),
    cleanup: typeof p.cleanup === 'string' ? (JSON.parse(p.cleanup) as CleanupReport) : null,
    finishedAt: (p.finishedAt as string) ?? null,
    startedBy: (p.startedBy as string) ?? null,
    finishedBy: (p.finishedBy as string) ?? null,
  };
}

/** Creates or replaces a data source's settings (keeping createdAt). */
export async function upsertDataSource(client: Neo4jClient, source: Omit<DataSource, 'createdAt' | 'updatedAt'>, now: string): Promise<DataSource> {
  const result = await client.write(
    `MERGE (s:DataSource {name: $source.name})
     ON CREATE SET s.createdAt = $now
     SET s += $source, s.updatedAt = $now
     RETURN properties(s) AS s`,
    { source, now },
  );
  return toSource(result.records[0].get('s'));
}

const SOURCES = 'MATCH (s:DataSource) WITH s ORDER BY s.priority, s.name RETURN properties(s) AS s';
const PRECEDENCE_RULES = 'MATCH (p:PrecedenceRule) WITH p ORDER BY p.class, p.attribute RETURN p { .class, .attribute, .sources } AS p';

export async function listDataSources(client: Neo4jClient): Promise<DataSource[]> {
  const result = await client.read(SOURCES);
  return result.records.map((r) => toSource(r.get('s')));
}

/**
 * What a reconcile batch reads before identifying anything, in one statement: the sources, the precedence rules
 * and its run. `lock` (the batch's identity locks) is taken first, so what follows reads after any batch holding them.
 */
export async function readBatchContext(
  client: Neo4jClient, tx: ManagedTransaction, lock: WriteStep | null, runId: string | null,
): Promise<{ sources: DataSource[]; rules: PrecedenceRuleRecord[]; run: SyncRun | null }> {
  const result = await client.run(tx,
    `${lock ? unitSubquery(lock, '$lock') : ''}
     OPTIONAL MATCH (r:SyncRun {id: $runId})
     RETURN COLLECT { ${SOURCES} } AS sources, COLLECT { ${PRECEDENCE_RULES} } AS rules, properties(r) AS run`,
    { lock: lock?.value ?? null, runId });
  const rec = result.records[0];
  const run = rec.get('run') as Record<string, unknown> | null;
  return { sources: (rec.get('sources') as Record<string, unknown>[]).map(toSource), rules: rec.get('rules') as PrecedenceRuleRecord[], run: run ? toRun(run) : null };
}

/**
 * Starts a run unless a FULL run of the same source and scope is RUNNING (two would withdraw each other's
 * assertions): then returns that run instead. A RUNNING run of the scope started before `expiredBefore` (its connector
 * died) is closed as FAILED first. One write transaction, serialised per source and scope by a lock node.
 */
export async function startSyncRunExclusive(
  client: Neo4jClient, run: Omit<SyncRun, 'cleanup'>, expiredBefore: string,
): Promise<{ started: SyncRun | null; blocking: SyncRun | null; expired: number }> {
  return client.writeTx(async (tx) => {
    const key = JSON.stringify([run.source, run.scope]);
    await client.run(tx, 'MERGE (l:RunLock {key: $key}) SET l.lockedAt = $now', { key, now: run.startedAt });
    const expired = await client.run(tx,
      `MATCH (r:SyncRun {source: $source, scope: $scope, status: 'RUNNING'}) WHERE r.startedAt < $expiredBefore
       SET r.status = 'FAILED', r.finishedAt = $now, r.finishedBy = 'expired'
       RETURN count(r) AS n`, { source: run.source, scope: run.scope, expiredBefore, now: run.startedAt });
    const n = expired.records[0].get('n') as number;
    if (run.mode === 'FULL') {
      const running = await client.run(tx,
        "MATCH (r:SyncRun {source: $source, scope: $scope, mode: 'FULL', status: 'RUNNING'}) RETURN properties(r) AS r ORDER BY r.startedAt LIMIT 1",
        { source: run.source, scope: run.scope });
      if (running.records.length) return { started: null, blocking: toRun(running.records[0].get('r')), expired: n };
    }
    const created = await client.run(tx, 'CREATE (r:SyncRun) SET r = $run RETURN properties(r) AS r', { run });
    return { started: toRun(created.records[0].get('r')), blocking: null, expired: n };
  });
}

export async function findSyncRun(client: Neo4jClient, id: string): Promise<SyncRun | null> {
  const result = await client.read('MATCH (r:SyncRun {id: $id}) RETURN properties(r) AS r', { id });
  return result.records.length ? toRun(result.records[0].get('r')) : null;
}

export async function listSyncRuns(client: Neo4jClient, source: string | null, limit: number): Promise<SyncRun[]> {
  const result = await client.read(
    `MATCH (r:SyncRun) WHERE $source IS NULL OR r.source = $source
     RETURN properties(r) AS r ORDER BY r.startedAt DESC LIMIT toInteger($limit)`,
    { source, limit },
  );
  return result.records.map((r) => toRun(r.get('r')));
}

/** Counts a reconciled batch against its run (inside the batch's transaction). */
export function runProgressStep(runId: string, items: number): WriteStep {
  return { cypher: (p) => `MATCH (r:SyncRun {id: ${p}.runId}) SET r.itemsReported = r.itemsReported + ${p}.items, r.batches = r.batches + 1`, value: { runId, items } };
}

/** Moves a RUNNING run to its final status; null when it was not RUNNING (already finished). */
export async function closeSyncRun(client: Neo4jClient, id: string, status: string, now: string, by: string | null): Promise<SyncRun | null> {
  const result = await client.write(
    `MATCH (r:SyncRun {id: $id}) WHERE r.status = 'RUNNING'
     SET r.status = $status, r.finishedAt = $now, r.finishedBy = $by
     RETURN properties(r) AS r`,
    { id, status, now, by },
  );
  return result.records.length ? toRun(result.records[0].get('r')) : null;
}

export async function saveRunCleanup(client: Neo4jClient, id: string, cleanup: CleanupReport): Promise<SyncRun> {
  const result = await client.write('MATCH (r:SyncRun {id: $id}) SET r.cleanup = $cleanup RETURN properties(r) AS r', { id, cleanup: JSON.stringify(cleanup) });
  return toRun(result.records[0].get('r'));
}

export interface PrecedenceRuleRecord {
  class: string;
  /** `*` for every attribute of the class. */
  attribute: string;
  sources: string[];
}

export async function listPrecedenceRules(client: Neo4jClient): Promise<PrecedenceRuleRecord[]> {
  const result = await client.read(PRECEDENCE_RULES);
  return result.records.map((r) => r.get('p') as PrecedenceRuleRecord);
}

/** Sets (or with an empty list removes) the source ranking for a class and attribute. */
export async function savePrecedenceRule(client: Neo4jClient, rule: PrecedenceRuleRecord): Promise<void> {
  const key = `${rule.class}.${rule.attribute}`;
  if (rule.sources.length === 0) {
    await client.write('MATCH (p:PrecedenceRule {key: $key}) DELETE p', { key });
  } else {
    await client.write('MERGE (p:PrecedenceRule {key: $key}) SET p.class = $class, p.attribute = $attribute, p.sources = $sources', { key, ...rule });
  }
}
