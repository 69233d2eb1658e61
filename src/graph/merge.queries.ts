import { ManagedTransaction } from 'neo4j-driver';
import { randomUUID } from 'crypto';
import { Catalog } from '../model/catalog';
import { Neo4jClient } from './client';
import { relType } from './cypher-names';
import { appendChanges, ChangeAuthor, ChangeRow, snapshotOf } from './history.queries';

export interface MergePlan {
  survivorId: string;
  duplicateId: string;
  /** The duplicate's properties, as read in this transaction (its snapshot in history). */
  duplicate: Record<string, unknown>;
  /** Properties to set on the survivor (attributes it lacked, the merged provenance, the ids merged into it). */
  set: Record<string, unknown>;
  /** History of the survivor for the values it takes over. */
  changes: ChangeRow[];
  now: string;
  by: ChangeAuthor;
}

export interface MergeOutcome {
  relationshipsMoved: number;
  sourceRecordsMoved: number;
  duplicateRecordsClosed: number;
}

/**
 * Moves everything of the duplicate onto the survivor and deletes it, in the caller's transaction: its edges (one
 * typed query per relationship type of the catalog and direction; an edge the survivor already has keeps both
 * assertions), its source records (re-keyed; where the survivor already has one from that source, the older
 * first-seen wins), and open duplicate records naming both, which are closed as MERGED. History records the merge
 * on the survivor and the deletion (with a snapshot) on the duplicate; the duplicate's own history stays under its
 * id and is shown with the survivor's through `_mergedFrom`.
 */
export async function mergeCiInto(client: Neo4jClient, tx: ManagedTransaction, catalog: Catalog, plan: MergePlan): Promise<MergeOutcome> {
  const p = { s: plan.survivorId, d: plan.duplicateId, now: plan.now };
  let moved = 0;
  // One typed MERGE per relationship type and direction the duplicate actually has (types come from the catalog).
  const kinds = await client.run(tx, 'MATCH (d:CI {id: $d})-[r]-(o:CI) RETURN DISTINCT type(r) AS type, startNode(r) = d AS out', p);
  for (const kind of kinds.records) {
    const t = relType(catalog, kind.get('type') as string);
    const [pattern, merge] = kind.get('out')
      ? [`(d)-[r:${t}]->(o:CI)`, `MERGE (s)-[n:${t}]->(o)`]
      : [`(d)<-[r:${t}]-(o:CI)`, `MERGE (s)<-[n:${t}]-(o)`];
    const result = await client.run(tx,
      `MATCH (s:CI {id: $s}), (d:CI {id: $d})
       MATCH ${pattern} WHERE o <> s
       ${merge}
       ON CREATE SET n.createdAt = r.createdAt, n.lastSeenAt = r.lastSeenAt
       SET n.sources = reduce(acc = coalesce(n.sources, []), x IN coalesce(r.sources, []) | CASE WHEN x IN acc THEN acc ELSE acc + x END),
           n.assertions = coalesce(n.assertions, []) + [x IN coalesce(r.assertions, []) WHERE NOT x IN coalesce(n.assertions, [])],
           n.createdAt = CASE WHEN r.createdAt < n.createdAt THEN r.createdAt ELSE n.createdAt END
       RETURN count(r) AS n`, p);
    moved += result.records[0].get('n') as number;
  }
  const records = await client.run(tx,
    `MATCH (r:SourceRecord {ciId: $d})
     OPTIONAL MATCH (k:SourceRecord {key: r.source + '|' + $s})
     FOREACH (_ IN CASE WHEN k IS NULL THEN [1] ELSE [] END | SET r.ciId = $s, r.key = r.source + '|' + $s)
     FOREACH (_ IN CASE WHEN k IS NOT NULL THEN [1] ELSE [] END |
       SET k.firstSeenAt = CASE WHEN r.firstSeenAt < k.firstSeenAt THEN r.firstSeenAt ELSE k.firstSeenAt END,
           k.nkey = coalesce(k.nkey, r.nkey)
       DELETE r)
     RETURN count(r) AS n`, p);
  const closed = await client.run(tx,
    `MATCH (x:DuplicateRecord {status: 'OPEN'}) WHERE $s IN x.candidates AND $d IN x.candidates
     SET x.status = 'MERGED', x.resolvedAt = $now, x.resolvedBy = $by, x.survivor = $s
     RETURN count(x) AS n`, { ...p, by: plan.by.principal ?? plan.by.actor });
  await client.run(tx, 'MATCH (s:CI {id: $s}) SET s += $set, s.updatedAt = $now', { ...p, set: plan.set });
  const snapshot = JSON.stringify(snapshotOf(plan.duplicate));
  await appendChanges(client, tx, [
    ...plan.changes,
    { id: randomUUID(), ciId: plan.survivorId, at: plan.now, kind: 'MERGED', ...plan.by, runId: null, field: null, oldValue: snapshot, newValue: null, relType: null, otherId: plan.duplicateId },
    { id: randomUUID(), ciId: plan.duplicateId, at: plan.now, kind: 'DELETED', ...plan.by, runId: null, field: null, oldValue: snapshot, newValue: JSON.stringify({ mergedInto: plan.survivorId }), relType: null, otherId: null },
  ]);
  await client.run(tx, 'MATCH (d:CI {id: $d}) DETACH DELETE d', p);
  return { relationshipsMoved: moved, sourceRecordsMoved: records.records[0].get('n') as number, duplicateRecordsClosed: closed.records[0].get('n') as number };
}

/** Closes an open duplicate record as not a duplicate; false when there is no open record with this id. */
export async function dismissDuplicateRecord(client: Neo4jClient, id: string, reason: string | null, by: string, now: string): Promise<Record<string, unknown> | null> {
  const result = await client.write(
    `MATCH (x:DuplicateRecord {id: $id, status: 'OPEN'})
     SET x.status = 'DISMISSED', x.resolvedAt = $now, x.resolvedBy = $by, x.reason = $reason
     RETURN properties(x) AS x`, { id, reason, by, now });
  return result.records.length ? (result.records[0].get('x') as Record<string, unknown>) : null;
}
