import { randomUUID } from 'crypto';
import { Catalog } from '../model/catalog';
import { didYouMean } from '../model/suggest';
import { ChangeAuthor, ChangeRow } from '../graph/history.queries';
import { AssertedEdgeRow } from '../graph/reconcile.queries';
import { PreparedItem, ReconcileRelationshipInput, RelationshipResult } from './reconcile.types';

export interface EdgeGroup {
  type: string;
  rows: AssertedEdgeRow[];
}

/** Resolves each payload relationship to two CIs and checks it against the catalog; returns the edges to assert, per type. */
export function planRelationships(
  catalog: Catalog,
  relationships: ReconcileRelationshipInput[],
  items: PreparedItem[],
  classOf: Map<string, string>,
  state: Map<string, Record<string, unknown>>,
): { results: RelationshipResult[]; groups: EdgeGroup[] } {
  const byRef = new Map(items.map((i) => [i.input.ref, i]));
  const groups = new Map<string, EdgeGroup>();
  const results = relationships.map((rel, i): RelationshipResult => {
    const result: RelationshipResult = { index: i, from: rel?.from, to: rel?.to, type: rel?.type, fromId: null, toId: null, operation: 'ERROR', errors: [] };
    const at = (f: string) => `relationships[${i}].${f}`;
    const type = catalog.getRelationshipType(rel?.type);
    if (!type) result.errors.push({ field: at('type'), reason: `relationship type '${rel?.type}' is not in the catalog${didYouMean(String(rel?.type), catalog.relationshipTypes.keys())}` });
    const ends = (['from', 'to'] as const).map((end) => {
      const key = rel?.[end];
      const item = byRef.get(key);
      if (item) {
        if (item.result.errors.length || item.result.operation === 'ERROR') {
          result.operation = 'SKIPPED';
          result.errors.push({ field: at(end), reason: `item '${key}' was not reconciled` });
          return null;
        }
        result[end === 'from' ? 'fromId' : 'toId'] = item.result.ciId;
        const id = item.result.ciId;
        return { id, className: (id && classOf.get(id)) || item.className };
      }
      const ci = typeof key === 'string' ? state.get(key) : undefined;
      if (!ci) {
        result.errors.push({ field: at(end), reason: `'${key}' is neither a ref of this payload nor an existing CI id` });
        return null;
      }
      result[end === 'from' ? 'fromId' : 'toId'] = key;
      return { id: key as string, className: String(ci.class) };
    });
    const [from, to] = ends;
    if (result.operation === 'SKIPPED') {
      result.errors = result.errors.filter((e) => e.reason.endsWith('was not reconciled'));
      return result;
    }
    if (!type || !from || !to) return result;
    if (!catalog.allowsRelationship(type, from.className, to.className)) {
      result.errors.push({ field: at('type'), reason: `${type.name} is not allowed from ${from.className} to ${to.className}` });
      return result;
    }
    if (from.id !== null && from.id === to.id) {
      result.errors.push({ field: at('to'), reason: 'a CI cannot be related to itself' });
      return result;
    }
    result.operation = 'CREATED'; // refined once the graph says whether the edge exists
    if (from.id !== null && to.id !== null) {
      const group = groups.get(type.name) ?? { type: type.name, rows: [] };
      group.rows.push({ i, from: from.id, to: to.id });
      groups.set(type.name, group);
    }
    return result;
  });
  return { results, groups: [...groups.values()] };
}

export function relationshipAdded(type: string, fromId: string, toId: string, by: ChangeAuthor, runId: string | null, now: string): ChangeRow {
  return { id: randomUUID(), ciId: fromId, at: now, kind: 'RELATIONSHIP_ADDED', ...by, runId, field: null, oldValue: null, newValue: null, relType: type, otherId: toId };
}
