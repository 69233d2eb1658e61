import { Neo4jClient } from './client';
import type { PropagationTypes } from '../impact/propagation';

/*
 * Traversals for impact analysis. A "walk" names the relationship types a step may follow and
 * in which direction (see impact/propagation.ts); the types are catalog names passed as
 * parameters and compared with type(r), so no type reaches the query text.
 */

/** Whether edge r may be walked from node `from` under the walk held by parameter `$<param>`. */
export const STEP = (from: string, param = 'walk') =>
  `((type(r) IN $${param}.incoming AND endNode(r) = ${from}) OR (type(r) IN $${param}.outgoing AND startNode(r) = ${from}) OR type(r) IN $${param}.both)`;

export interface ReachedCi {
  id: string;
  depth: number;
  /** Shortest explanations: node ids from a start to this CI, and the edges between them. */
  paths: { nodes: string[]; types: string[]; sources: string[] }[];
}

/**
 * Every CI reachable from the starts within maxDepth steps of the walk, nearest first, with its
 * shortest paths; one round trip (quantified path pattern, ANY SHORTEST per start and CI).
 */
export async function reachableCis(
  client: Neo4jClient, startIds: string[], walk: PropagationTypes, maxDepth: number, limit: number,
): Promise<ReachedCi[]> {
  if (!Number.isInteger(maxDepth) || maxDepth < 1 || maxDepth > 20) throw new Error(`maxDepth ${maxDepth} out of range`);
  const result = await client.read(
    `UNWIND $starts AS sid
     MATCH (s:CI {id: sid})
     MATCH p = ANY SHORTEST (s)((a:CI)-[r]-(b:CI) WHERE ${STEP('a')}){1,${maxDepth}}(x:CI)
     WHERE NOT x.id IN $starts
     WITH x, length(p) AS depth, [n IN nodes(p) | n.id] AS nodes, [e IN relationships(p) | type(e)] AS types,
          [e IN relationships(p) | startNode(e).id] AS sources
     ORDER BY depth
     WITH x, collect({depth: depth, nodes: nodes, types: types, sources: sources}) AS found
     WITH x, found[0].depth AS depth, [q IN found WHERE q.depth = found[0].depth][0..5] AS paths
     RETURN x.id AS id, depth, paths
     ORDER BY depth, x.name, id
     LIMIT toInteger($limit)`,
    { starts: startIds, walk, limit },
  );
  return result.records.map((r) => ({ id: r.get('id'), depth: r.get('depth'), paths: r.get('paths') }));
}

export interface ImpactNode {
  id: string;
  name: string;
  class: string;
  criticality: string | null;
  owner: string | null;
  supportGroup: string | null;
  redundancy: string | null;
  /** CIs whose failure reaches this one in one step (its providers), by relationship type. */
  providers: { type: string; id: string }[];
}

/**
 * For each CI: its fields and its providers under `providerWalk` (whose failure reaches it).
 * With `asOf`, only edges and CIs that existed then count. One round trip.
 */
export async function impactNodes(client: Neo4jClient, ids: string[], providerWalk: PropagationTypes, asOf: string | null): Promise<ImpactNode[]> {
  const result = await client.read(
    `UNWIND $ids AS id
     MATCH (x:CI {id: id})
     CALL (x) {
       OPTIONAL MATCH (x)-[r]-(p:CI)
       WHERE ${STEP('x')} AND ($asOf IS NULL OR (r.createdAt <= $asOf AND p.createdAt <= $asOf))
       RETURN collect(CASE WHEN p IS NULL THEN null ELSE {type: type(r), id: p.id} END) AS providers
     }
     RETURN x.id AS id, x.name AS name, x.class AS class, x.criticality AS criticality, x.owner AS owner,
            x.supportGroup AS supportGroup, x._redundancy AS redundancy, providers`,
    { ids, walk: providerWalk, asOf },
  );
  return result.records.map((r) => r.toObject() as unknown as ImpactNode);
}

/** One breadth-first step at a past moment: edges of the walk from `ids` that existed at `asOf`. */
export async function walkStepAsOf(client: Neo4jClient, ids: string[], walk: PropagationTypes, asOf: string): Promise<{ from: string; to: string; type: string; source: string }[]> {
  const result = await client.read(
    `UNWIND $ids AS id
     MATCH (a:CI {id: id})-[r]-(b:CI)
     WHERE ${STEP('a')} AND r.createdAt <= $asOf AND b.createdAt <= $asOf
     RETURN a.id AS from, b.id AS to, type(r) AS type, startNode(r).id AS source`,
    { ids, walk, asOf },
  );
  return result.records.map((r) => r.toObject() as { from: string; to: string; type: string; source: string });
}

/** Edges removed since `asOf` (they existed then, unless also created after it). */
export async function edgesRemovedSince(client: Neo4jClient, asOf: string): Promise<{ from: string; to: string; type: string }[]> {
  const result = await client.read(
    `MATCH (h:ChangeRecord {kind: 'RELATIONSHIP_REMOVED'}) WHERE h.at > $asOf
     AND NOT EXISTS { MATCH (a:ChangeRecord {kind: 'RELATIONSHIP_ADDED', ciId: h.ciId, otherId: h.otherId, relType: h.relType}) WHERE a.at > $asOf AND a.at <= h.at }
     RETURN DISTINCT h.ciId AS from, h.otherId AS to, h.relType AS type`,
    { asOf },
  );
  return result.records.map((r) => r.toObject() as { from: string; to: string; type: string });
}

/** Sets or clears the redundancy rules of a CI (stored as JSON); false when the CI does not exist. */
export async function saveRedundancy(client: Neo4jClient, id: string, rules: string | null, now: string): Promise<boolean> {
  const result = await client.write('MATCH (c:CI {id: $id}) SET c._redundancy = $rules, c.updatedAt = $now RETURN c.id AS id', { id, rules, now });
  return result.records.length > 0;
}
