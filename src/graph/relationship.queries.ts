import neo4j, { Node } from 'neo4j-driver';
import { Catalog } from '../model/catalog';
import { Neo4jClient } from './client';
import { assertionSourcePrefix, assertionStamp } from './assertion-stamp';
import { CiRecord, nodeToCi, readPlainCi } from './ci.record';
import type { ChangeAuthor } from './history.queries';
import { plainCiList, relType, relTypes } from './cypher-names';

export type RelationshipDirection = 'OUTGOING' | 'INCOMING' | 'BOTH';

/** One edge seen from one CI: `ci` is the CI at the other end. */
export interface RelationshipRecord {
  type: string;
  direction: 'OUTGOING' | 'INCOMING';
  ci: CiRecord;
  createdAt: string | null;
  /** Sources asserting the edge; it goes away when none does. */
  sources: string[];
}

/** Which edges of each CI to read: the arguments of the `relationships` field, checked. */
export interface RelationshipPage {
  direction: RelationshipDirection;
  /** Catalog types only, or null for all. */
  types: string[] | null;
  first: number;
  /** The neighbours' plain properties to read (their records then hold only those), or null for whole CIs. */
  fields: readonly string[] | null;
  /** Whether to read each edge's createdAt and sources; without them the records hold null and []. */
  details: boolean;
}

/**
 * A subquery over `c` returning `rels`: its edges (both ends CIs) in (type, neighbour name, neighbour id)
 * order, cut at `$relFirst` inside the subquery so a core switch's thousands of edges are ordered, not all
 * fetched and then sliced. Shared by the batched relationship query and the CI page that reads them too.
 */
export function relationshipsSubquery(catalog: Catalog, page: RelationshipPage): string {
  const pattern = page.types && page.types.length ? `:${relTypes(catalog, page.types)}` : '';
  const branches: string[] = [];
  if (page.direction !== 'INCOMING') branches.push(`MATCH (c)-[r${pattern}]->(o:CI) RETURN r, o, 'OUTGOING' AS dir`);
  if (page.direction !== 'OUTGOING') branches.push(`MATCH (c)<-[r${pattern}]-(o:CI) RETURN r, o, 'INCOMING' AS dir`);
  // Lists, not maps: the driver decodes every key of every map, which cost more than the query on a page of 500 edges.
  const neighbour = page.fields ? plainCiList('o', page.fields) : 'o';
  const details = page.details ? 'r.createdAt, coalesce(r.sources, [])' : 'null, null';
  return `CALL (c) {
       CALL (c) { ${branches.join(' UNION ALL ')} }
       WITH r, o, dir ORDER BY type(r), o.name, o.id LIMIT $relFirst
       RETURN collect([type(r), dir, ${neighbour}, ${details}]) AS rels
     }`;
}

type StoredRel = [type: string, dir: 'OUTGOING' | 'INCOMING', o: Node | unknown[], createdAt: string | null, sources: string[] | null];

/** The `rels` column of relationshipsSubquery as records. */
export function readRelationships(catalog: Catalog, page: RelationshipPage, rels: unknown): RelationshipRecord[] {
  return (rels as StoredRel[]).map(([type, direction, o, createdAt, sources]) => ({
    type,
    direction,
    ci: page.fields ? readPlainCi(page.fields, o as unknown[]) : nodeToCi(catalog, o as Node),
    createdAt: createdAt ?? null,
    sources: sources ?? [],
  }));
}

/** The relationships of many CIs in one round trip (see relationshipsSubquery); one list per id, in the order of `ids`. */
export async function relationshipsOfCis(client: Neo4jClient, catalog: Catalog, ids: readonly string[], page: RelationshipPage): Promise<RelationshipRecord[][]> {
  const result = await client.read(
    `UNWIND $ids AS id
     MATCH (c:CI {id: id})
     ${relationshipsSubquery(catalog, page)}
     RETURN id, rels`,
    { ids: [...new Set(ids)], relFirst: neo4j.int(page.first) },
  );
  const byId = new Map<string, RelationshipRecord[]>();
  for (const record of result.records) byId.set(record.get('id') as string, readRelationships(catalog, page, record.get('rels')));
  return ids.map((id) => byId.get(id) ?? []);
}

export interface EdgeRecord {
  type: string;
  from: CiRecord;
  to: CiRecord;
  createdAt: string;
  created: boolean;
}

/**
 * Creates the edge if absent (idempotent) and records `source` as asserting it, with a history
 * record (naming `by`, default the source) when it is new; null when either CI vanished meanwhile.
 */
export async function mergeRelationship(
  client: Neo4jClient,
  catalog: Catalog,
  fromId: string,
  toId: string,
  type: string,
  source: string,
  now: string,
  by: ChangeAuthor = { actor: source, principal: null },
): Promise<EdgeRecord | null> {
  const result = await client.writeTx(async (tx) => {
    const r = await client.run(tx,
    `MATCH (a:CI {id: $fromId}), (b:CI {id: $toId})
     MERGE (a)-[r:${relType(catalog, type)}]->(b)
     ON CREATE SET r.createdAt = $now, r.isNew = true
     WITH a, b, r, coalesce(r.isNew, false) AS created
     REMOVE r.isNew
     SET r.assertions = [x IN coalesce(r.assertions, []) WHERE NOT x STARTS WITH $prefix] + [$stamp],
         r.sources = [s IN coalesce(r.sources, []) WHERE s <> $source] + $source
     FOREACH (_ IN CASE WHEN created THEN [1] ELSE [] END |
       CREATE (:ChangeRecord {id: randomUUID(), ciId: a.id, at: $now, kind: 'RELATIONSHIP_ADDED', actor: $by.actor, principal: $by.principal, relType: $type, otherId: b.id}))
     RETURN a, b, r.createdAt AS createdAt, created`,
    { fromId, toId, now, source, by, type, prefix: assertionSourcePrefix(source), stamp: assertionStamp(source, '', null, now) },
    );
    if (r.records[0]?.get('created')) client.recordChanges(tx, [{ ciId: fromId, kind: 'RELATIONSHIP_ADDED', field: null, at: now, actor: by.actor }]);
    return r;
  });
  if (!result.records.length) return null;
  const rec = result.records[0];
  return {
    type,
    from: nodeToCi(catalog, rec.get('a')),
    to: nodeToCi(catalog, rec.get('b')),
    createdAt: rec.get('createdAt') as string,
    created: rec.get('created') as boolean,
  };
}

/** Removes the edge whoever asserts it (a manual delete), with a history record; returns 0 or 1. */
export async function deleteRelationship(client: Neo4jClient, catalog: Catalog, fromId: string, toId: string, type: string, by: ChangeAuthor, now: string): Promise<number> {
  const result = await client.writeTx(async (tx) => {
    const r = await client.run(tx,
    `MATCH (:CI {id: $fromId})-[r:${relType(catalog, type)}]->(:CI {id: $toId})
     DELETE r
     CREATE (:ChangeRecord {id: randomUUID(), ciId: $fromId, at: $now, kind: 'RELATIONSHIP_REMOVED', actor: $by.actor, principal: $by.principal, relType: $type, otherId: $toId})
     RETURN count(r) AS deleted`,
    { fromId, toId, by, type, now },
    );
    if (r.records[0]?.get('deleted')) client.recordChanges(tx, [{ ciId: fromId, kind: 'RELATIONSHIP_REMOVED', field: null, at: now, actor: by.actor }]);
    return r;
  });
  return result.records[0].get('deleted') as number;
}
