import neo4j from 'neo4j-driver';
import { Catalog } from '../model/catalog';
import { Neo4jClient } from './client';
import { CiRecord, nodeToCi } from './ci.record';
import type { PropagationTypes } from '../impact/propagation';
import { levelClauses } from './walk.cypher';

function depthLiteral(depth: number): number {
  if (!Number.isInteger(depth) || depth < 1 || depth > 10) throw new Error(`depth ${depth} out of range`);
  return depth;
}

/** For each CI, what the walk reaches within `depth` steps, nearest first, at most `limit`; one round trip. */
export async function reachablePerCi(
  client: Neo4jClient, catalog: Catalog, ids: readonly string[], walk: PropagationTypes, depth: number, limit: number,
): Promise<Map<string, { ci: CiRecord; depth: number }[]>> {
  const levels = depthLiteral(depth);
  const result = await client.read(
    `UNWIND $ids AS sid
     MATCH (s:CI {id: sid})
     CALL (s) {
       WITH s, [s] AS l0
       ${levelClauses(catalog, walk, levels).join('\n       ')}
       WITH s, [${Array.from({ length: levels }, (_, i) => `l${i + 1}`).join(', ')}] AS levels
       UNWIND range(1, size(levels)) AS d
       UNWIND levels[d - 1] AS x
       WITH s, x, min(d) AS depth
       WHERE x <> s
       RETURN x, depth ORDER BY depth, x.name LIMIT $limit
     }
     RETURN s.id AS sid, collect({x: x, depth: depth}) AS found`,
    { ids: [...new Set(ids)], limit: neo4j.int(limit) },
  );
  const out = new Map<string, { ci: CiRecord; depth: number }[]>();
  for (const r of result.records) {
    out.set(r.get('sid'), (r.get('found') as { x: import('neo4j-driver').Node; depth: number }[]).map((f) => ({ ci: nodeToCi(catalog, f.x), depth: f.depth })));
  }
  return out;
}

export interface Subgraph {
  center: CiRecord;
  nodes: { ci: CiRecord; depth: number }[];
  edges: { from: string; to: string; type: string }[];
  truncated: boolean;
}

/**
 * CIs within `depth` steps of a CI in any direction (optionally only some types), and the edges among them. With
 * `asOf`, only CIs and edges that existed then (created by that time); edges removed since are not put back.
 */
export async function neighborhoodOf(client: Neo4jClient, catalog: Catalog, id: string, depth: number, types: string[] | null, limit: number, asOf: string | null = null): Promise<Subgraph | null> {
  const found = await client.read(
    `MATCH (c:CI {id: $id})
     OPTIONAL CALL (c) {
       MATCH p = ANY SHORTEST (c)((a:CI)-[r]-(b:CI) WHERE ($types IS NULL OR type(r) IN $types) AND ($asOf IS NULL OR (r.createdAt <= $asOf AND b.createdAt <= $asOf))){1,${depthLiteral(depth)}}(x:CI)
       WHERE x <> c
       RETURN x, length(p) AS d ORDER BY d, x.name LIMIT $limitPlusOne
     }
     RETURN c, collect(CASE WHEN x IS NULL THEN null ELSE {x: x, d: d} END) AS nodes`,
    { id, types, asOf, limitPlusOne: neo4j.int(limit + 1) },
  );
  if (!found.records.length) return null;
  const all = (found.records[0].get('nodes') as { x: import('neo4j-driver').Node; d: number }[]).map((n) => ({ ci: nodeToCi(catalog, n.x), depth: n.d }));
  const nodes = all.slice(0, limit);
  const center = nodeToCi(catalog, found.records[0].get('c'));
  const ids = [center.id, ...nodes.map((n) => n.ci.id)];
  const edges = await client.read(
    `UNWIND $ids AS id
     MATCH (a:CI {id: id})-[r]->(b:CI)
     WHERE b.id IN $ids AND ($types IS NULL OR type(r) IN $types) AND ($asOf IS NULL OR r.createdAt <= $asOf)
     RETURN a.id AS from, b.id AS to, type(r) AS type ORDER BY from, type, to`,
    { ids, types, asOf },
  );
  return { center, nodes, edges: edges.records.map((r) => r.toObject() as Subgraph['edges'][number]), truncated: all.length > limit };
}

export interface FoundPath {
  nodes: CiRecord[];
  edges: { type: string; source: string }[];
}

/** The shortest paths between two CIs (edges in any direction, optionally only some types), at most `limit`. */
export async function shortestPaths(client: Neo4jClient, catalog: Catalog, fromId: string, toId: string, maxDepth: number, types: string[] | null, limit: number): Promise<FoundPath[]> {
  const result = await client.read(
    `MATCH (s:CI {id: $fromId}), (t:CI {id: $toId})
     MATCH p = ALL SHORTEST (s)((a:CI)-[r]-(b:CI) WHERE $types IS NULL OR type(r) IN $types){1,${depthLiteral(maxDepth)}}(t)
     RETURN nodes(p) AS nodes, [e IN relationships(p) | {type: type(e), source: startNode(e).id}] AS edges
     LIMIT $limit`,
    { fromId, toId, types, limit: neo4j.int(limit) },
  );
  return result.records.map((r) => ({
    nodes: (r.get('nodes') as import('neo4j-driver').Node[]).map((n) => nodeToCi(catalog, n)),
    edges: r.get('edges'),
  }));
}
