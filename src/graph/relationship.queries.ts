import neo4j from 'neo4j-driver';
import { Catalog } from '../model/catalog';
import { Neo4jClient } from './client';
import { assertionSourcePrefix, assertionStamp } from './assertion-stamp';
import { CiRecord, nodeToCi } from './ci.record';
import type { ChangeAuthor } from './history.queries';
import { relType, relTypes } from './cypher-names';

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

/**
 * The relationships of many CIs in one round trip, at most `first` per CI, ordered by type
 * then the other CI's name. Returns one list per id, in the order of `ids`.
 */
export async function relationshipsOfCis(
  client: Neo4jClient,
  catalog: Catalog,
  ids: readonly string[],
  direction: RelationshipDirection,
  types: string[] | null,
  first: number,
): Promise<RelationshipRecord[][]> {
  const pattern = types && types.length ? `:${relTypes(catalog, types)}` : '';
  const branches: string[] = [];
  if (direction !== 'INCOMING') branches.push(`MATCH (c)-[r${pattern}]->(o:CI) RETURN r, o, 'OUTGOING' AS dir`);
  if (direction !== 'OUTGOING') branches.push(`MATCH (c)<-[r${pattern}]-(o:CI) RETURN r, o, 'INCOMING' AS dir`);
  const result = await client.read(
    `UNWIND $ids AS id
     MATCH (c:CI {id: id})
     CALL (c) { ${branches.join(' UNION ALL ')} }
     WITH id, r, o, dir ORDER BY type(r), o.name, o.id
     WITH id, collect({type: type(r), dir: dir, o: o, createdAt: r.createdAt, sources: coalesce(r.sources, [])})[0..$first] AS rels
     RETURN id, rels`,
    { ids: [...new Set(ids)], first: neo4j.int(first) },
  );
  const byId = new Map<string, RelationshipRecord[]>();
  for (const record of result.records) {
    const rels = record.get('rels') as { type: string; dir: 'OUTGOING' | 'INCOMING'; o: import('neo4j-driver').Node; createdAt: string | null; sources: string[] }[];
    byId.set(record.get('id') as string, rels.map((r) => ({
      type: r.type,
      direction: r.dir,
      ci: nodeToCi(catalog, r.o),
      createdAt: r.createdAt ?? null,
      sources: r.sources,
    })));
  }
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
