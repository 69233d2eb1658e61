import neo4j from 'neo4j-driver';
import { Catalog } from '../model/catalog';
import { Neo4jClient } from './client';
import { classLabel } from './cypher-names';
import { ChangeCursor, ChangeRow, rowOf } from './history.queries';

export interface ChangeFeedFilter {
  /** Only records of these CIs (as the changed CI, or the other end of a relationship change); null: the whole estate. */
  ciIds: string[] | null;
  since: string | null;
  until: string | null;
  kinds: string[] | null;
  /** Only records of CIs of these classes (subclasses included); deleted CIs then no longer match. */
  classes: string[] | null;
}

/** A record with the name and class of its CI (from the deletion snapshot when the CI is gone). */
export interface FeedRow extends ChangeRow {
  ciName: string | null;
  ciClass: string | null;
}

/**
 * Change records newest first, keyset-paged by (at, seq, id), at most `limit`. One round trip; uses the change_ci and
 * change_other indexes for a CI scope, and change_at for the estate-wide feed.
 */
export async function changeFeed(client: Neo4jClient, catalog: Catalog, f: ChangeFeedFilter, limit: number, before: ChangeCursor | null): Promise<FeedRow[]> {
  const source = f.ciIds
    ? `UNWIND $ids AS cid
       CALL (cid) {
         MATCH (h:ChangeRecord {ciId: cid}) RETURN h
         UNION
         MATCH (h:ChangeRecord {otherId: cid}) RETURN h
       }
       WITH DISTINCT h`
    : 'MATCH (h:ChangeRecord) WHERE h.at IS NOT NULL WITH h';
  const classes = f.classes?.length ? f.classes.map((c) => `c:${classLabel(catalog, c)}`).join(' OR ') : null;
  const result = await client.read(
    `${source}
     WHERE ($since IS NULL OR h.at >= $since) AND ($until IS NULL OR h.at < $until)
       AND ($kinds IS NULL OR h.kind IN $kinds)
       AND ($beforeAt IS NULL OR h.at < $beforeAt OR (h.at = $beforeAt AND
            (coalesce(h.seq, 0) < $beforeSeq OR (coalesce(h.seq, 0) = $beforeSeq AND h.id < $beforeId))))
     OPTIONAL MATCH (c:CI {id: h.ciId})
     WITH h, c ${classes ? `WHERE ${classes}` : ''}
     ORDER BY h.at DESC, coalesce(h.seq, 0) DESC, h.id DESC
     LIMIT $limit
     RETURN properties(h) AS h, c.name AS name, c.class AS class,
       CASE WHEN c IS NULL THEN COLLECT { MATCH (d:ChangeRecord {ciId: h.ciId, kind: 'DELETED'}) RETURN d.oldValue LIMIT 1 }[0] END AS snapshot`,
    {
      ids: f.ciIds,
      since: f.since,
      until: f.until,
      kinds: f.kinds,
      beforeAt: before?.at ?? null,
      beforeSeq: before?.seq ?? 0,
      beforeId: before?.id ?? null,
      limit: neo4j.int(limit),
    },
  );
  return result.records.map((r) => {
    const snapshot = r.get('snapshot') ? (JSON.parse(r.get('snapshot') as string) as { name?: string; class?: string }) : null;
    return { ...rowOf(r.get('h')), ciName: (r.get('name') as string | null) ?? snapshot?.name ?? null, ciClass: (r.get('class') as string | null) ?? snapshot?.class ?? null };
  });
}
