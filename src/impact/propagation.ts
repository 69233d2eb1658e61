import { Catalog } from '../model/catalog';
import { InputError } from '../model/field-error';
import { didYouMean } from '../model/suggest';

export type ImpactDirection = 'DOWNSTREAM' | 'UPSTREAM';

/**
 * Relationship types grouped by how a step walks them. For DOWNSTREAM (what a failure affects):
 * `incoming` types are walked from target to source (A DEPENDS_ON B: B fails, A is affected),
 * `outgoing` types from source to target (a rack CONTAINS a server). UPSTREAM swaps the two.
 * Types whose propagation is NONE are never walked.
 */
export interface PropagationTypes {
  incoming: string[];
  outgoing: string[];
  both: string[];
}

export function propagationTypes(catalog: Catalog, direction: ImpactDirection, only: string[] | null | undefined): PropagationTypes {
  if (only?.length) {
    const unknown = only.filter((t) => !catalog.getRelationshipType(t));
    if (unknown.length) {
      throw new InputError(unknown.map((t) => ({ field: 'relationshipTypes', reason: `relationship type '${t}' is not in the catalog${didYouMean(t, catalog.relationshipTypes.keys())}` })));
    }
  }
  const out: PropagationTypes = { incoming: [], outgoing: [], both: [] };
  for (const type of catalog.relationshipTypes.values()) {
    if (only?.length && !only.includes(type.name)) continue;
    if (type.propagation === 'BOTH') out.both.push(type.name);
    else if (type.propagation === 'TARGET_TO_SOURCE') (direction === 'DOWNSTREAM' ? out.incoming : out.outgoing).push(type.name);
    else if (type.propagation === 'SOURCE_TO_TARGET') (direction === 'DOWNSTREAM' ? out.outgoing : out.incoming).push(type.name);
  }
  return out;
}

/** The opposite walk: who provides for a CI when walking downstream are the CIs upstream of it. */
export function reversed(t: PropagationTypes): PropagationTypes {
  return { incoming: t.outgoing, outgoing: t.incoming, both: t.both };
}
