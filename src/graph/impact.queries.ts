import neo4j, { Record as Neo4jRecord } from 'neo4j-driver';
import { Catalog } from '../model/catalog';
import type { CiSummary } from '../impact/impact.types';
import { Neo4jClient } from './client';
import { PropagationTypes, reversed } from '../impact/propagation';
import { groupCountsColumn, levelClauses, neighbourColumns, stepExists, stepUnion } from './walk.cypher';
import { randomUUID } from 'crypto';
import { appendChanges, ChangeAuthor, REDUNDANCY_FIELD } from './history.queries';

/*
 * Traversals for impact analysis. A "walk" names the relationship types a step may follow and
 * in which direction (see impact/propagation.ts); walk.cypher.ts turns it into typed expands.
 */

/** An edge seen from a CI: its type, the CI at the other end, and whether it starts at the CI. */
export interface NeighbourEdge {
  type: string;
  id: string;
  out: boolean;
}

export interface WalkedCi extends CiSummary {
  redundancy: string | null;
  /** Steps from the nearest start (0 for a start). */
  depth: number;
  /** CIs in the answer whose failure reaches this one in one step (for severity). */
  providers: NeighbourEdge[];
  /** For a CI that declares redundancy: how many providers of each type it has in all. */
  groupSizes: Map<string, number> | null;
  /** CIs in the answer from which the walk reaches this one in one step (for explanations). */
  parents: NeighbourEdge[];
}

export interface WalkOptions {
  walk: PropagationTypes;
  /** Whose failure reaches a CI; null when no severity is needed. */
  providerWalk: PropagationTypes | null;
  maxDepth: number;
  limit: number;
}

const sameWalk = (a: PropagationTypes, b: PropagationTypes | null) =>
  !!b && (['incoming', 'outgoing', 'both'] as const).every((k) => a[k].length === b[k].length && a[k].every((t, i) => t === b[k][i]));

const CI_FIELDS = 'x.id AS id, x.name AS name, x.class AS class, x.criticality AS criticality, x.owner AS owner, x.supportGroup AS supportGroup, x._redundancy AS redundancy';

/** The columns CI_FIELDS returns. */
function ciFields(r: Neo4jRecord): CiSummary & { redundancy: string | null } {
  return {
    id: r.get('id'), name: r.get('name'), class: r.get('class'), criticality: r.get('criticality'), owner: r.get('owner'),
    supportGroup: r.get('supportGroup'), redundancy: r.get('redundancy'),
  };
}

/**
 * `canonical` maps an id to the one string object the answer uses for it. Impact keys every map by id, tens of
 * thousands of lookups for a large answer; a neighbour's id cut from its 'TYPE id' string is a view into that string,
 * which hashes and compares slower than the CI's own id, and than the same object found again.
 */
function edges(outs: string[], ins: string[], canonical?: Map<string, string>): NeighbourEdge[] {
  const parse = (s: string, out: boolean) => {
    const space = s.indexOf(' ');
    const id = s.slice(space + 1);
    return { type: s.slice(0, space), id: canonical?.get(id) ?? id, out };
  };
  return [...outs.map((s) => parse(s, true)), ...ins.map((s) => parse(s, false))];
}

function groupSizes(types: string[], counts: number[] | null): Map<string, number> | null {
  if (!counts) return null;
  const sizes = new Map<string, number>();
  types.forEach((t, i) => sizes.set(t, (sizes.get(t) ?? 0) + counts[i]));
  return sizes;
}

/**
 * The starts and every CI the walk reaches within maxDepth steps, at its smallest depth, nearest
 * first (then by name), at most `limit` besides the starts, each with its providers and parents
 * among those CIs. One round trip: a breadth-first walk, then the edges among what is kept.
 * `truncated` when the limit cuts, or else when a CI of the last level has a step to a CI not
 * reached: an existence test that stops at the first such CI, where walking a whole level further
 * (the largest, on a core switch) cost a third of the statement.
 */
export async function walkImpact(client: Neo4jClient, catalog: Catalog, starts: string[], o: WalkOptions): Promise<{ cis: WalkedCi[]; truncated: boolean }> {
  const levels = o.maxDepth;
  // The limit counts reached CIs, not the starts: with every start found, `keep` rows are the starts plus the limit.
  const unique = [...new Set(starts)];
  const parentWalk = reversed(o.walk);
  const shared = sameWalk(parentWalk, o.providerWalk);
  const groups = o.providerWalk ? groupCountsColumn(catalog, o.providerWalk, 'groupCounts') : null;
  const columns = [
    neighbourColumns(catalog, parentWalk, 'parents', { within: 'xs' }),
    ...(groups ? [groups.column] : []),
    ...(o.providerWalk && !shared ? [neighbourColumns(catalog, o.providerWalk, 'providers', { within: 'xs' })] : []),
  ];
  const names = Array.from({ length: levels + 1 }, (_, i) => `l${i}`).join(', ');
  const result = await client.read(
    `UNWIND $starts AS sid
     MATCH (s:CI {id: sid})
     WITH collect(DISTINCT s) AS l0
     ${levelClauses(catalog, o.walk, levels).join('\n     ')}
     CALL (${names}) {
       WITH [${names}] AS levels
       UNWIND range(0, size(levels) - 1) AS d
       UNWIND levels[d] AS x
       WITH x, min(d) AS depth
       ORDER BY depth, x.name, x.id
       RETURN collect(x) AS within, collect(depth) AS depths
     }
     WITH within[0..$keep] AS xs, depths[0..$keep] AS ds,
       CASE WHEN size(within) > $keep THEN true
            ELSE any(a IN l${levels} WHERE ${stepExists(catalog, o.walk, 'a', 'NOT b IN within')}) END AS truncated
     UNWIND range(0, size(xs) - 1) AS i
     WITH xs, xs[i] AS x, ds[i] AS depth, truncated
     RETURN ${CI_FIELDS}, depth, truncated, ${columns.join(', ')}`,
    { starts: unique, keep: neo4j.int(o.limit + unique.length) },
  );
  // Neighbours are CIs of the answer (`within`): each is named by the string its own row brought.
  const canonical = new Map<string, string>(result.records.map((r) => [r.get('id'), r.get('id')]));
  const cis = result.records.map((r): WalkedCi => {
    const parents = edges(r.get('parentsOut'), r.get('parentsIn'), canonical);
    return {
      ...ciFields(r),
      depth: r.get('depth'),
      parents,
      providers: !o.providerWalk ? [] : shared ? parents : edges(r.get('providersOut'), r.get('providersIn'), canonical),
      groupSizes: groups ? groupSizes(groups.types, r.get('groupCounts')) : null,
    };
  });
  const truncated = result.records.length > 0 && result.records[0].get('truncated') === true;
  return { cis, truncated };
}

/**
 * The fields of CIs and their providers under `providerWalk` as they were at `asOf`: only edges
 * and CIs that existed then count. One round trip.
 */
export async function impactNodesAsOf(client: Neo4jClient, catalog: Catalog, ids: string[], providerWalk: PropagationTypes, asOf: string): Promise<Omit<WalkedCi, 'depth' | 'parents'>[]> {
  const result = await client.read(
    `UNWIND $ids AS id
     MATCH (x:CI {id: id})
     // The rules in force then: the value before the first change made after asOf, else today's.
     WITH x, COLLECT { MATCH (h:ChangeRecord {ciId: x.id, field: $field}) WHERE h.at > $asOf RETURN {v: h.oldValue} ORDER BY h.at, h.seq LIMIT 1 } AS later
     RETURN ${CI_FIELDS}, later, ${neighbourColumns(catalog, providerWalk, 'providers', { where: 'r.createdAt <= $asOf AND p.createdAt <= $asOf' })}`,
    { ids, asOf, field: REDUNDANCY_FIELD },
  );
  return result.records.map((r) => {
    const fields = ciFields(r);
    const later = r.get('later') as { v: string | null }[];
    return { ...fields, redundancy: later.length ? later[0].v : fields.redundancy, providers: edges(r.get('providersOut'), r.get('providersIn')), groupSizes: null };
  });
}

/** One breadth-first step at a past moment: edges of the walk from `ids` that existed at `asOf`. */
export async function walkStepAsOf(client: Neo4jClient, catalog: Catalog, ids: string[], walk: PropagationTypes, asOf: string): Promise<{ from: string; to: string; type: string; source: string }[]> {
  const step = stepUnion(catalog, walk, {
    from: 'a', rel: 'r', to: 'b', where: 'r.createdAt <= $asOf AND b.createdAt <= $asOf',
    returns: 'a.id AS from, b.id AS to, type(r) AS type, startNode(r).id AS source',
  });
  if (!step) return [];
  const result = await client.read(
    `UNWIND $ids AS id
     MATCH (a:CI {id: id})
     CALL (a) { ${step} }
     RETURN from, to, type, source`,
    { ids, asOf },
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

/**
 * Replaces a CI's redundancy rules with what `next` makes of the current ones (stored as JSON text), recording the
 * change in history (field `redundancy`) so that impact at a past moment uses the rules of that moment. One write
 * transaction; null when the CI does not exist.
 */
export async function updateRedundancy<T>(
  client: Neo4jClient, id: string, next: (current: string | null) => { stored: string | null; result: T }, by: ChangeAuthor, now: string,
): Promise<T | null> {
  return client.writeTx(async (tx) => {
    const found = await client.run(tx, 'MATCH (c:CI {id: $id}) RETURN c._redundancy AS r', { id });
    if (!found.records.length) return null;
    const current = (found.records[0].get('r') as string | null) ?? null;
    const { stored, result } = next(current);
    if (stored === current) return result;
    await client.run(tx, 'MATCH (c:CI {id: $id}) SET c._redundancy = $stored, c.updatedAt = $now', { id, stored, now });
    await appendChanges(client, tx, [{
      id: randomUUID(), ciId: id, at: now, kind: 'UPDATED', ...by, runId: null, field: REDUNDANCY_FIELD, oldValue: current, newValue: stored, relType: null, otherId: null,
    }]);
    return result;
  });
}
