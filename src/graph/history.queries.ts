import { ManagedTransaction } from 'neo4j-driver';
import { randomUUID } from 'crypto';
import { Neo4jClient } from './client';
import { runWriteSteps, WriteStep } from './write-steps';

export type ChangeKind = 'CREATED' | 'UPDATED' | 'DELETED' | 'RELATIONSHIP_ADDED' | 'RELATIONSHIP_REMOVED' | 'MERGED';

/** One recorded change. Values are JSON text so any attribute type (and whole snapshots) fit. */
export interface ChangeRow {
  id: string;
  ciId: string;
  at: string;
  kind: ChangeKind;
  /** The source that made the change, or for a manual edit the principal who made it (`manual` in-process). */
  actor: string;
  /** The authenticated caller whose request wrote it (token or JWT subject); null for in-process work. */
  principal: string | null;
  runId: string | null;
  field: string | null;
  oldValue: string | null;
  newValue: string | null;
  /** For relationship changes: the type and the CI at the other end (ciId is the source of the edge). */
  relType: string | null;
  otherId: string | null;
  /** Position within its transaction (read back only). */
  seq?: number;
}

/** The history field of a CI's redundancy rules (stored on the node as `_redundancy`, JSON text). */
export const REDUNDANCY_FIELD = 'redundancy';

/** Who a change is attributed to, and whose request made it. */
export type ChangeAuthor = Pick<ChangeRow, 'actor' | 'principal'>;

/** Position in a CI's history, newest first. */
export interface ChangeCursor {
  at: string;
  seq: number;
  id: string;
}

/** Writes change records as a step of a larger statement; the changes are noted for the live feed once it runs. */
export function changesStep(client: Neo4jClient, tx: ManagedTransaction, rows: ChangeRow[]): WriteStep | null {
  if (!rows.length) return null;
  return {
    // seq orders the records of one transaction, which share their timestamp.
    cypher: (p) => `UNWIND range(0, size(${p}) - 1) AS i WITH ${p}[i] AS row, i CREATE (h:ChangeRecord) SET h = row, h.seq = i`,
    value: rows,
    afterRun: () => client.recordChanges(tx, rows.map((r) => ({ ciId: r.ciId, kind: r.kind, field: r.field ?? null, at: r.at, actor: r.actor }))),
  };
}

export function appendChanges(client: Neo4jClient, tx: ManagedTransaction, rows: ChangeRow[]): Promise<void> {
  return runWriteSteps(client, tx, [changesStep(client, tx, rows)]);
}

/**
 * Changes touching each CI (as subject, or as the other end of an edge), newest first, at most
 * `limit` per CI, optionally only after `since` or before a cursor. One round trip for all ids.
 */
export async function changesOfCis(
  client: Neo4jClient,
  ids: readonly string[],
  opts: { since?: string | null; before?: ChangeCursor | null; limit?: number | null },
): Promise<Map<string, ChangeRow[]>> {
  const result = await client.read(
    `UNWIND $ids AS cid
     CALL (cid) {
       CALL (cid) {
         MATCH (h:ChangeRecord {ciId: cid}) RETURN h
         UNION
         MATCH (h:ChangeRecord {otherId: cid}) RETURN h
       }
       WITH h WHERE ($since IS NULL OR h.at > $since)
         AND ($beforeAt IS NULL OR h.at < $beforeAt OR (h.at = $beforeAt AND
              (coalesce(h.seq, 0) < $beforeSeq OR (coalesce(h.seq, 0) = $beforeSeq AND h.id < $beforeId))))
       RETURN h ORDER BY h.at DESC, coalesce(h.seq, 0) DESC, h.id DESC
       LIMIT toInteger($limit)
     }
     RETURN cid, collect(properties(h)) AS changes`,
    {
      ids: [...new Set(ids)],
      since: opts.since ?? null,
      beforeAt: opts.before?.at ?? null,
      beforeId: opts.before?.id ?? null,
      beforeSeq: opts.before?.seq ?? 0,
      limit: opts.limit ?? 1_000_000,
    },
  );
  const out = new Map<string, ChangeRow[]>();
  for (const record of result.records) out.set(record.get('cid') as string, (record.get('changes') as Record<string, unknown>[]).map(rowOf));
  return out;
}

/** A stored record's properties as a row (absent optional fields as null). */
export function rowOf(h: Record<string, unknown>): ChangeRow {
  return {
    id: h.id, ciId: h.ciId, at: h.at, kind: h.kind, actor: h.actor, principal: h.principal ?? null, runId: h.runId ?? null, field: h.field ?? null,
    oldValue: h.oldValue ?? null, newValue: h.newValue ?? null, relType: h.relType ?? null, otherId: h.otherId ?? null,
    seq: h.seq ?? 0,
  } as ChangeRow;
}

/** The common fields and attributes of a CI, without internal (underscore) properties. */
export function snapshotOf(props: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(props).filter(([k]) => !k.startsWith('_')));
}

/** A DELETED record keeps the whole CI so `asOf` can show it as it was. */
export function deletedChange(props: Record<string, unknown>, by: ChangeAuthor, runId: string | null, at: string): ChangeRow {
  return {
    id: randomUUID(), ciId: String(props.id), at, kind: 'DELETED', ...by, runId, field: null,
    oldValue: JSON.stringify(snapshotOf(props)), newValue: null, relType: null, otherId: null,
  };
}

/** History of a deletion: the snapshot, and the removal of each edge it takes with it. */
export function deletionChanges(
  props: Record<string, unknown>, outgoing: [string, string][], incoming: [string, string][], by: ChangeAuthor, runId: string | null, at: string,
): ChangeRow[] {
  const id = String(props.id);
  const edge = (type: string, from: string, to: string): ChangeRow => ({
    id: randomUUID(), ciId: from, at, kind: 'RELATIONSHIP_REMOVED', ...by, runId, field: null, oldValue: null, newValue: null, relType: type, otherId: to,
  });
  return [
    ...outgoing.map(([type, other]) => edge(type, id, other)),
    ...incoming.map(([type, other]) => edge(type, other, id)),
    deletedChange(props, by, runId, at),
  ];
}
