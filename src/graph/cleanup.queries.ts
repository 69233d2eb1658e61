import { ManagedTransaction } from 'neo4j-driver';
import { CommittedChange, Neo4jClient } from './client';
import { appendChanges, deletionChanges } from './history.queries';
import { assertionScopePrefix, assertionSourcePrefix } from './assertion-stamp';

/*
 * Stale handling after a successful FULL run. Each function works through its scope in batches
 * of at most `batchSize` rows, one write transaction per batch, so a scope with hundreds of
 * thousands of stale CIs never needs one huge transaction. Batches walk an index in key order from
 * where the last one stopped: restarting each batch from the top re-read everything already handled,
 * which made the cleanup of a large scope quadratic.
 */

export const CLEANUP_BATCH = 5000;

/**
 * Walks over records and over CIs run this many disjoint key ranges at once: Neo4j runs one transaction per core (a
 * third walker measured no faster on two). Each record is one CI, so record walkers never wait on each other's locks;
 * edge walkers (split by the edge's start CI) can meet at a shared end (a hypervisor, a switch), where one waits for
 * the other or, losing a deadlock, runs its batch again.
 */
export const CLEANUP_WORKERS = 2;

/** Where a batch resumes: after the key `after`, up to the key `upTo` (the last of its range; null for no end). */
interface Cursor {
  after: string;
  upTo: string | null;
}

/**
 * One batch of a walk, in a write transaction: reads the page after the cursor and returns `scanned` (how many keys
 * it read), `last` (the last of them) and its counts.
 */
type Batch = (tx: ManagedTransaction, cursor: Cursor) => Promise<Record<string, unknown>>;

/**
 * A batch that is one statement, reading `$after`, `$upTo` and `$batchSize` besides `params`; when `changed` is
 * given, its `ids` column (the CIs it changed) is noted for the live feed.
 */
function statementBatch(
  client: Neo4jClient, cypher: string, params: Record<string, unknown>, batchSize: number, changed?: (ciId: string) => CommittedChange,
): Batch {
  return async (tx, cursor) => {
    const rec = (await client.run(tx, cypher, { ...params, ...cursor, batchSize })).records[0];
    if (changed) client.recordChanges(tx, ((rec.get('ids') as string[] | null) ?? []).map(changed));
    return rec.toObject() as Record<string, unknown>;
  };
}

/**
 * Runs `batch` from after `from` until one scans fewer than `batchSize` keys, each in its own write transaction.
 * Numeric columns other than `scanned` are summed.
 */
async function inKeyOrder(client: Neo4jClient, batch: Batch, batchSize: number, from = '', upTo: string | null = null): Promise<Record<string, number>> {
  const totals: Record<string, number> = {};
  let after = from;
  for (;;) {
    const row = await retryingLockConflicts(() => client.writeTx((tx) => batch(tx, { after, upTo })));
    for (const [k, v] of Object.entries(row)) if (typeof v === 'number' && k !== 'scanned') totals[k] = (totals[k] ?? 0) + v;
    if ((row.scanned as number) < batchSize || row.last === null) return totals;
    after = row.last as string;
  }
}

/** How often a batch is tried when it keeps losing lock conflicts with the other walkers. */
const BATCH_ATTEMPTS = 5;
const LOCK_CONFLICTS = new Set(['Neo.TransientError.Transaction.DeadlockDetected', 'Neo.TransientError.Transaction.LockAcquisitionTimeout']);

/**
 * Runs `batch` again when it fails on a lock conflict (a deadlock with another walker, a lock wait timing out) after the
 * driver's own retries, which give up after a couple of seconds: a batch of thousands of edges can lose more than once.
 * A batch re-reads its page from where it started, so running it again does nothing twice.
 */
async function retryingLockConflicts<T>(batch: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await batch();
    } catch (err) {
      const code = String((err as { code?: unknown }).code ?? '');
      if (attempt >= BATCH_ATTEMPTS || !LOCK_CONFLICTS.has(code)) throw err;
    }
  }
}

/** A key space a walk is split in: a statement counting its keys (`n`) and one returning the key at `$skip` (`key`). */
interface KeySpace {
  count: string;
  keyAt: string;
}

/** This source's records as `s`: the key range `recordKeyRange` gives (`$keyPrefix`, `$keyEnd`), an index seek. */
export const SOURCE_RECORDS = 'MATCH (s:SourceRecord) WHERE s.key > $keyPrefix AND s.key < $keyEnd';

/** This source's records, by key, as the walk's pages read them. */
const RECORD_KEYS: KeySpace = {
  count: `${SOURCE_RECORDS} RETURN count(s) AS n`,
  keyAt: `${SOURCE_RECORDS} WITH s.key AS key ORDER BY key SKIP toInteger($skip) LIMIT 1 RETURN key`,
};

/** Every CI, by id. */
const CI_KEYS: KeySpace = {
  count: 'MATCH (a:CI) RETURN count(a) AS n',
  keyAt: 'MATCH (a:CI) WITH a.id AS key ORDER BY key SKIP toInteger($skip) LIMIT 1 RETURN key',
};

/** `inKeyOrder` over `keys` (counted with `params`) from after `from`, split into CLEANUP_WORKERS ranges walked at once. */
async function inKeyRanges(
  client: Neo4jClient, keys: KeySpace, params: Record<string, unknown>, batch: Batch, batchSize: number, from = '',
): Promise<Record<string, number>> {
  const count = (await client.read(keys.count, params)).records[0].get('n') as number;
  const workers = count > 2 * batchSize ? CLEANUP_WORKERS : 1;
  // Range i is (bounds[i], bounds[i + 1]]: each bound is the last key of the range before it.
  const bounds = [from];
  for (let i = 1; i < workers; i++) {
    const at = await client.read(keys.keyAt, { ...params, skip: Math.floor((count * i) / workers) - 1 });
    bounds.push(at.records[0].get('key') as string);
  }
  const parts = await Promise.all(bounds.map((from, i) => inKeyOrder(client, batch, batchSize, from, bounds[i + 1] ?? null)));
  const totals: Record<string, number> = {};
  for (const part of parts) for (const [k, v] of Object.entries(part)) totals[k] = (totals[k] ?? 0) + v;
  return totals;
}

/**
 * The next batch of this source's records in key order (keys are `source|ciId`), collected as `page`. The source's
 * keys are the range (`keyPrefix`, `keyEnd`): with `STARTS WITH` the planner seeks the index from the prefix and
 * filters `> $after`, so every batch re-read the keys of all batches before it (the 80th batch of a 400,000-record
 * scope read 400,000 keys to keep 5,000).
 */
export const RECORD_PAGE = `MATCH (s:SourceRecord) WHERE s.key > $after AND s.key < $keyEnd AND ($upTo IS NULL OR s.key <= $upTo)
     WITH s ORDER BY s.key LIMIT toInteger($batchSize)
     WITH collect(s) AS page`;

/** This source's record keys: all start with `keyPrefix` and sort before `keyEnd` (the prefix's last character, '|', plus one). */
export function recordKeyRange(source: string): { keyPrefix: string; keyEnd: string } {
  return { keyPrefix: `${source}|`, keyEnd: `${source}}` };
}

const PAGE_END = `size(page) AS scanned, CASE WHEN size(page) > 0 THEN page[size(page) - 1].key END AS last`;

export interface ScopeParams {
  source: string;
  scope: string;
  runId: string;
  now: string;
  /** Who finished the run that triggers this cleanup; null for in-process work. */
  principal: string | null;
}

/**
 * Flags this source's records (in this scope) that the run did not report and, with `markCis`, marks (or retires) the
 * CIs they describe that no other source still reports, in the same walk: a CI has one record per source, so flagging
 * this source's records never changes whether another source reports a CI. Remembers a CI's previous status so a CI
 * that comes back is restored. Recorded in history.
 */
export async function flagMissingRecords(
  client: Neo4jClient, p: ScopeParams & { markCis: 'STALE' | 'RETIRED' | null }, batchSize = CLEANUP_BATCH,
): Promise<{ missing: number; marked: number }> {
  const keys = recordKeyRange(p.source);
  const params = { ...p, status: p.markCis, ...keys };
  const totals = await inKeyRanges(client, RECORD_KEYS, params, statementBatch(client,
    `${RECORD_PAGE}
     CALL (page) {
       UNWIND page AS s
       WITH s WHERE s.scope = $scope AND coalesce(s.lastRunId, '') <> $runId AND s.missingSince IS NULL
       SET s.missingSince = $now
       RETURN count(s) AS missing
     }
     CALL (page) {
       // Records flagged by earlier runs count too: their CIs may have had another source then.
       UNWIND CASE WHEN $status IS NULL THEN [] ELSE page END AS s
       WITH s WHERE s.scope = $scope AND s.missingSince IS NOT NULL
       MATCH (c:CI {id: s.ciId}) WHERE c.staleSince IS NULL
         AND NOT EXISTS { MATCH (o:SourceRecord {ciId: c.id}) WHERE o.missingSince IS NULL }
       WITH DISTINCT c
       CREATE (h:ChangeRecord {id: randomUUID(), ciId: c.id, at: $now, kind: 'UPDATED', actor: $source, principal: $principal, runId: $runId,
         field: 'lifecycleStatus', oldValue: '"' + c.lifecycleStatus + '"', newValue: '"' + $status + '"'})
       SET c.statusBeforeStale = c.lifecycleStatus, c.lifecycleStatus = $status, c.staleSince = $now, c.updatedAt = $now
       RETURN count(c) AS marked, collect(c.id) AS ids
     }
     RETURN ${PAGE_END}, missing, marked, ids`, params, batchSize,
    (ciId) => ({ ciId, kind: 'UPDATED', field: 'lifecycleStatus', at: p.now, actor: p.source })), batchSize, keys.keyPrefix);
  return { missing: totals.missing ?? 0, marked: totals.marked ?? 0 };
}

/** Deletes CIs this source retired longer ago than the retention period, keeping a snapshot in history. */
export function deleteRetiredCis(client: Neo4jClient, p: ScopeParams & { retiredBefore: string }, batchSize = CLEANUP_BATCH): Promise<number> {
  return deleteCisOfRecords(client, p, {
    record: 's.scope = $scope AND s.missingSince IS NOT NULL',
    ci: `c.lifecycleStatus = 'RETIRED' AND c.staleSince <= $retiredBefore
       AND NOT EXISTS { MATCH (o:SourceRecord {ciId: c.id}) WHERE o.missingSince IS NULL }`,
  }, batchSize);
}

/** Which of a source's records (`s`, given the params) lead to a CI to delete, and which of their CIs (`c`) go: Cypher predicates written in code, never from input. */
export interface DeletionFilter {
  record: string;
  ci: string;
}

/**
 * Deletes the CIs of this source's records that `where` selects, walking the records in key order; each CI goes with
 * all its source records, a snapshot and the removal of its edges in history (named for the source, and the
 * principal). Each batch reads its page from the cursor: a selection restarted at every batch read again, each
 * time, the records that do not qualify (still reported, within retention, shared with another source).
 */
export async function deleteCisOfRecords<P extends { source: string; runId: string | null; now: string; principal: string | null }>(
  client: Neo4jClient, p: P, where: DeletionFilter, batchSize = CLEANUP_BATCH,
): Promise<number> {
  const keys = recordKeyRange(p.source);
  const params = { ...p, ...keys };
  const by = { actor: p.source, principal: p.principal };
  const batch: Batch = async (tx, cursor) => {
    const rec = (await client.run(tx,
      `${RECORD_PAGE}
       CALL (page) {
         UNWIND page AS s
         WITH s WHERE ${where.record}
         MATCH (c:CI {id: s.ciId}) WHERE ${where.ci}
         WITH DISTINCT c
         RETURN collect([properties(c), [(c)-[r]->(o:CI) | [type(r), o.id]], [(c)<-[r]-(o:CI) | [type(r), o.id]]]) AS doomed
       }
       RETURN ${PAGE_END}, doomed`, { ...params, ...cursor, batchSize })).records[0];
    const doomed = rec.get('doomed') as [Record<string, unknown>, [string, string][], [string, string][]][];
    if (doomed.length) {
      // An edge between two CIs of the batch is recorded once, as the outgoing edge of its start.
      const ids = new Set(doomed.map(([c]) => String(c.id)));
      await appendChanges(client, tx, doomed.flatMap(([c, out, inc]) =>
        deletionChanges(c, out, inc.filter(([, other]) => !ids.has(other)), by, p.runId, p.now)));
      await client.run(tx,
        `UNWIND $ids AS id MATCH (c:CI {id: id})
         OPTIONAL MATCH (r:SourceRecord {ciId: id})
         DETACH DELETE r, c`, { ids: [...ids] });
    }
    return { scanned: rec.get('scanned'), last: rec.get('last'), deleted: doomed.length };
  };
  // One walker: two would both record an edge between CIs of their two ranges, each reading it before the other deletes it.
  const totals = await inKeyOrder(client, batch, batchSize, keys.keyPrefix);
  return totals.deleted ?? 0;
}

/**
 * Withdraws this source's assertion (in this scope) from edges the run did not report; an edge no
 * source asserts any more is deleted, with a history record.
 */
export function withdrawEdgeAssertions(client: Neo4jClient, p: ScopeParams, batchSize = CLEANUP_BATCH): Promise<{ unasserted: number; removed: number }> {
  const scopePrefix = assertionScopePrefix(p.source, p.scope);
  return withdrawAssertions(client, { ...p, prefix: scopePrefix, keepPrefix: `${scopePrefix}${p.runId}|` }, batchSize);
}

/**
 * Withdraws the assertions starting with `prefix` (except those starting with `keepPrefix`) from every edge; an edge
 * no source asserts any more is deleted, with a history record.
 */
export async function withdrawAssertions(
  client: Neo4jClient, p: { source: string; prefix: string; keepPrefix: string | null; runId: string | null; now: string; principal: string | null }, batchSize = CLEANUP_BATCH,
): Promise<{ unasserted: number; removed: number }> {
  const scopePrefix = p.prefix;
  const runPrefix = p.keepPrefix;
  const sourcePrefix = assertionSourcePrefix(p.source);
  // Walks the CIs in id order and, for each batch, their outgoing edges: every edge once, whatever the estate.
  const params = { ...p, scopePrefix, runPrefix, sourcePrefix };
  const totals = await inKeyRanges(client, CI_KEYS, params, statementBatch(client,
    `MATCH (a:CI) WHERE a.id > $after AND ($upTo IS NULL OR a.id <= $upTo)
     WITH a ORDER BY a.id LIMIT toInteger($batchSize)
     WITH collect(a) AS page
     CALL (page) {
       UNWIND page AS a
       MATCH (a)-[r]->(b:CI)
       WHERE $source IN r.sources
         AND any(x IN r.assertions WHERE x STARTS WITH $scopePrefix AND ($runPrefix IS NULL OR NOT x STARTS WITH $runPrefix))
       WITH a, r, b, [x IN r.assertions WHERE NOT x STARTS WITH $scopePrefix] AS kept
       WITH a, r, b, kept, size(kept) = 0 AS orphan
       // An edge about to be deleted is not rewritten first: that would write its properties only to free them.
       FOREACH (_ IN CASE WHEN orphan THEN [] ELSE [1] END |
         SET r.assertions = kept,
           // The source still asserts the edge when it does so in another scope.
           r.sources = CASE WHEN any(x IN kept WHERE x STARTS WITH $sourcePrefix) THEN r.sources ELSE [s IN r.sources WHERE s <> $source] END)
       FOREACH (_ IN CASE WHEN orphan THEN [1] ELSE [] END |
         CREATE (:ChangeRecord {id: randomUUID(), ciId: a.id, at: $now, kind: 'RELATIONSHIP_REMOVED', actor: $source,
           principal: $principal, runId: $runId, relType: type(r), otherId: b.id}))
       WITH r, orphan, a
       FOREACH (_ IN CASE WHEN orphan THEN [1] ELSE [] END | DELETE r)
       RETURN count(*) AS unasserted, sum(CASE WHEN orphan THEN 1 ELSE 0 END) AS removed, [x IN collect(CASE WHEN orphan THEN a.id END) WHERE x IS NOT NULL] AS ids
     }
     RETURN size(page) AS scanned, CASE WHEN size(page) > 0 THEN page[size(page) - 1].id END AS last, unasserted, removed, ids`,
    params, batchSize, (ciId) => ({ ciId, kind: 'RELATIONSHIP_REMOVED', field: null, at: p.now, actor: p.source })), batchSize);
  return { unasserted: totals.unasserted ?? 0, removed: totals.removed ?? 0 };
}
