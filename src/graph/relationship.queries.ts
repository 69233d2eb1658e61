import neo4j from 'neo4j-driver';
import { Catalog } from '../model/catalog';
import { Neo4jClient } from './client';
import { CiRecord, nodeToCi } from './ci.record';
import { relType, relTypes } from './cypher-names';

export type RelationshipDirection = 'OUTGOING' | 'INCOMING' | 'BOTH';

/** One edge seen from one CI: `ci` is the CI at the other end. */
export interface RelationshipRecord {
  type: string;
  direction: 'OUTGOING' | 'INCOMING';
  ci: CiRecord;
  createdAt: string | null;
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
     WITH id, collect({type: type(r), dir: dir, o: o, createdAt: r.createdAt})[0..$first] AS rels
     RETURN id, rels`,
    { ids: [...new Set(ids)], first: neo4j.int(first) },
  );
  const byId = new Map<string, RelationshipRecord[]>();
  for (const record of result.records) {
    const rels = record.get('rels') as { type: string; dir: 'OUTGOING' | 'INCOMING'; o: import('neo4j-driver').Node; createdAt: string | null }[];
    byId.set(record.get('id') as string, rels.map((r) => ({
      type: r.type,
      direction: r.dir,
      ci: nodeToCi(catalog, r.o),
      createdAt: r.createdAt ?? null,
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

/** Creates the edge if absent (idempotent); null when either CI vanished meanwhile. */
export async function mergeRelationship(
  client: Neo4jClient,
  catalog: Catalog,
  fromId: string,
  toId: string,
  type: string,
  now: string,
): Promise<EdgeRecord | null> {
  const result = await client.write(
    `MATCH (a:CI {id: $fromId}), (b:CI {id: $toId})
     MERGE (a)-[r:${relType(catalog, type)}]->(b)
     ON CREATE SET r.createdAt = $now, r.new = true
     WITH a, b, r, coalesce(r.new, false) AS created
     REMOVE r.new
     RETURN a, b, r.createdAt AS createdAt, created`,
    { fromId, toId, now },
  );
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

/** Removes the edge; returns how many were deleted (0 or 1). */
export async function deleteRelationship(client: Neo4jClient, catalog: Catalog, fromId: string, toId: string, type: string): Promise<number> {
  const result = await client.write(
    `MATCH (:CI {id: $fromId})-[r:${relType(catalog, type)}]->(:CI {id: $toId})
     DELETE r
     RETURN count(r) AS deleted`,
    { fromId, toId },
  );
  return result.records[0].get('deleted') as number;
}
