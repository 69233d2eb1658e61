import { Catalog } from '../model/catalog';
import type { PropagationTypes } from '../impact/propagation';
import { relTypes } from './cypher-names';

/*
 * Query text for walking the graph along a PropagationTypes walk. Each step is a typed expand in
 * the type's direction, with the catalog's type names in the query text: Neo4j 5 applies type and
 * direction while it expands, whereas a predicate comparing the edge with its end
 * (`endNode(r) = a`) is only checked on whole paths afterwards, which on a dense graph means
 * enumerating undirected paths.
 */

export interface StepOptions {
  /** The node stepped from, the edge and the node reached (variable names). */
  from: string;
  rel: string;
  to: string;
  /** Extra condition on the edge and the node reached, e.g. a moment in time. */
  where?: string;
  /** What each branch returns; every branch must return the same columns. */
  returns: string;
}

/** The walk's typed one-step patterns from `from` (one per direction it has types for), each ending in `(<to>:CI)`. */
function stepPatterns(catalog: Catalog, walk: PropagationTypes, from: string, rel: string, to: string): string[] {
  const pattern = (types: string[], left: string, right: string) => (types.length ? `(${from})${left}[${rel}:${relTypes(catalog, types)}]${right}(${to}:CI)` : null);
  return [pattern(walk.incoming, '<-', '-'), pattern(walk.outgoing, '-', '->'), pattern(walk.both, '-', '-')].filter((p) => p !== null);
}

/** One step from `from`: a UNION ALL of typed expands, or null when the walk has no type. */
export function stepUnion(catalog: Catalog, walk: PropagationTypes, o: StepOptions): string | null {
  const where = o.where ? ` WHERE ${o.where}` : '';
  const branches = stepPatterns(catalog, walk, o.from, o.rel, o.to).map((p) => `MATCH ${p}${where} RETURN ${o.returns}`);
  return branches.length ? branches.join(' UNION ALL ') : null;
}

/** Whether one step of the walk from `from` reaches a CI `b` meeting `where`: an OR of existence tests, each stopping at its first match. */
export function stepExists(catalog: Catalog, walk: PropagationTypes, from: string, where: string): string {
  const tests = stepPatterns(catalog, walk, from, '', 'b').map((p) => `EXISTS { MATCH ${p} WHERE ${where} }`);
  return tests.length ? tests.join(' OR ') : 'false';
}

/**
 * Breadth-first levels `l1`..`l<levels>` from the node list `l0`: each level the distinct CIs one
 * step from the previous level. Levels are not pruned of CIs seen before (a set membership test
 * per row costs more than re-expanding), so a CI can appear at several depths; callers keep its
 * smallest.
 */
export function levelClauses(catalog: Catalog, walk: PropagationTypes, levels: number): string[] {
  if (!Number.isInteger(levels) || levels < 1 || levels > 21) throw new Error(`walk of ${levels} levels out of range`);
  const step = stepUnion(catalog, walk, { from: 'a', rel: 'r', to: 'b', returns: 'b' });
  return Array.from({ length: levels }, (_, i) => step
    ? `CALL (l${i}) { UNWIND l${i} AS a CALL (a) { ${step} } RETURN collect(DISTINCT b) AS l${i + 1} }`
    : `WITH *, [] AS l${i + 1}`);
}

function sides(walk: PropagationTypes): { out: string[]; in: string[] } {
  return { out: [...walk.outgoing, ...walk.both], in: [...walk.incoming, ...walk.both] };
}

export interface NeighbourColumnOptions {
  /** Only neighbours in this list variable (a cached set test); all neighbours when absent. */
  within?: string;
  /** Extra condition on the edge r and the neighbour p. */
  where?: string;
}

/**
 * Two columns per row of `x`: `<as>Out` and `<as>In`, the neighbours one step along the walk as
 * 'TYPE id' strings (compact to transfer), split by whether the edge starts at x or ends there.
 */
export function neighbourColumns(catalog: Catalog, walk: PropagationTypes, as: string, o: NeighbourColumnOptions = {}): string {
  const conds = [o.within ? `p IN ${o.within}` : null, o.where ?? null].filter((c) => c !== null);
  const where = conds.length ? ` WHERE ${conds.join(' AND ')}` : '';
  const { out, in: inc } = sides(walk);
  const column = (types: string[], left: string, right: string) =>
    types.length ? `COLLECT { MATCH (x)${left}[r:${relTypes(catalog, types)}]${right}(p:CI)${where} RETURN type(r) + ' ' + p.id }` : '[]';
  return `${column(out, '-', '->')} AS ${as}Out, ${column(inc, '<-', '-')} AS ${as}In`;
}

/**
 * For CIs that declare redundancy, how many edges of each walk type they have in the walk's
 * direction, as a list aligned with `types` (null for the others): the group sizes a quorum is
 * measured against, members outside the answer included. Each count is a degree lookup.
 */
export function groupCountsColumn(catalog: Catalog, walk: PropagationTypes, as: string): { column: string; types: string[] } {
  const { out, in: inc } = sides(walk);
  const counts = [
    ...out.map((t) => ({ type: t, expr: `COUNT { (x)-[:${relTypes(catalog, [t])}]->() }` })),
    ...inc.map((t) => ({ type: t, expr: `COUNT { (x)<-[:${relTypes(catalog, [t])}]-() }` })),
  ];
  return {
    column: `CASE WHEN x._redundancy IS NULL THEN null ELSE [${counts.map((c) => c.expr).join(', ')}] END AS ${as}`,
    types: counts.map((c) => c.type),
  };
}
