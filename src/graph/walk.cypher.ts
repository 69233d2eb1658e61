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

/** One step from `from`: a UNION ALL of typed expands, or null when the walk has no type. */
export function stepUnion(catalog: Catalog, walk: PropagationTypes, o: StepOptions): string | null {
  const where = o.where ? ` WHERE ${o.where}` : '';
  const branch = (types: string[], left: string, right: string) =>
    types.length ? `MATCH (${o.from})${left}[${o.rel}:${relTypes(catalog, types)}]${right}(${o.to}:CI)${where} RETURN ${o.returns}` : null;
  const branches = [branch(walk.incoming, '<-', '-'), branch(walk.outgoing, '-', '->'), branch(walk.both, '-', '-')].filter((b) => b !== null);
  return branches.length ? branches.join(' UNION ALL ') : null;
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

/**
 * Per row, the neighbours of `x` one step along the walk as a list `{type, id, out}` named `as`
 * (`out`: the edge starts at x).
 */
export function neighbourClause(catalog: Catalog, walk: PropagationTypes, as: string, where?: string): string {
  const step = stepUnion(catalog, walk, { from: 'x', rel: 'r', to: 'p', where, returns: '{type: type(r), id: p.id, out: startNode(r) = x} AS e' });
  return step ? `CALL (x) { CALL (x) { ${step} } RETURN collect(e) AS ${as} }` : `WITH *, [] AS ${as}`;
}
