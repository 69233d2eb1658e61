import { Catalog } from '../model/catalog';
import { coerceValue } from '../model/attribute-values';
import { LIFECYCLE_STATUSES } from '../model/catalog.types';
import { FieldError } from '../model/field-error';
import { didYouMean } from '../model/suggest';
import { CiCursor, CiFilterSpec } from '../graph/ci.queries';

export interface CiListFilterInput {
  class?: string | null;
  name?: string | null;
  ids?: string[] | null;
  nameContains?: string | null;
  lifecycleStatus?: string[] | null;
  environment?: string | null;
  attributes?: { name: string; value: unknown }[] | null;
}

const MAX_FILTER_IDS = 1000;

/** Checks a list filter against the catalog and converts attribute values to their stored form. */
export function toFilterSpec(catalog: Catalog, input: CiListFilterInput, errors: FieldError[]): CiFilterSpec {
  const spec: CiFilterSpec = {};
  if (input.class) {
    if (catalog.getClass(input.class)) spec.className = input.class;
    else errors.push({ field: 'filter.class', reason: `class '${input.class}' is not in the model${didYouMean(input.class, catalog.classes.keys())}` });
  }
  if (input.name) spec.name = input.name;
  if (input.ids) {
    if (input.ids.length > MAX_FILTER_IDS) errors.push({ field: 'filter.ids', reason: `at most ${MAX_FILTER_IDS} ids, got ${input.ids.length}` });
    spec.ids = [...new Set(input.ids)];
  }
  if (input.nameContains) spec.nameContains = input.nameContains;
  if (input.environment) spec.environment = input.environment;
  if (input.lifecycleStatus?.length) {
    const bad = input.lifecycleStatus.filter((s) => !(LIFECYCLE_STATUSES as readonly string[]).includes(s));
    if (bad.length) errors.push({ field: 'filter.lifecycleStatus', reason: `unknown status ${bad.join(', ')}` });
    spec.lifecycleStatuses = input.lifecycleStatus;
  }
  spec.attributes = [];
  (input.attributes ?? []).forEach((attr, i) => {
    const field = `filter.attributes[${i}]`;
    const def = catalog.findAttribute(attr.name, spec.className);
    if (!def) {
      const scope = spec.className ? `class ${spec.className}` : 'any class';
      const known = spec.className ? catalog.getClass(spec.className)!.attributes.keys() : catalog.attributeNames();
      errors.push({ field: `${field}.name`, reason: `attribute '${attr.name}' is not declared by ${scope}${didYouMean(attr.name, known)}` });
      return;
    }
    const coerced = coerceValue(def, attr.value);
    if (coerced.ok) spec.attributes!.push({ name: attr.name, value: coerced.value });
    else errors.push({ field: `${field}.value`, reason: coerced.reason });
  });
  return spec;
}

export function encodeCursor(ci: { name: string; id: string }): string {
  return Buffer.from(JSON.stringify([ci.name, ci.id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, errors: FieldError[]): CiCursor | null {
  try {
    const [name, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof name === 'string' && typeof id === 'string') return { name, id };
  } catch {
    // fall through: any undecodable cursor gets the same answer
  }
  errors.push({ field: 'after', reason: 'is not a cursor returned by this API' });
  return null;
}
