import { Catalog } from '../model/catalog';
import { coerceValue, INDEXED_MAX_LENGTH, StoredValue } from '../model/attribute-values';
import { FieldError } from '../model/field-error';
import { didYouMean } from '../model/suggest';
import { resolveClass, validateCommonFields } from '../services/ci-input';
import { PreparedItem, ReconcileItemInput } from './reconcile.types';

/** A payload ref is a local key: short enough to echo in every error. */
const MAX_REF = 256;

const COMMON_RECONCILED = ['name', 'environment', 'owner', 'supportGroup', 'criticality'] as const;

/**
 * Validates each item on its own: bad items get ERROR with their reasons and are left out;
 * the others go on. Nothing here touches the database.
 */
export function prepareItems(catalog: Catalog, items: ReconcileItemInput[]): PreparedItem[] {
  const seenRefs = new Set<string>();
  return items.map((input, index) => {
    const errors: FieldError[] = [];
    const at = (field: string) => `items[${index}].${field}`;
    const result = {
      ref: typeof input?.ref === 'string' ? input.ref : `#${index}`,
      index, ciId: null, class: String(input?.class ?? ''), operation: 'ERROR' as const,
      identification: [], changes: [], kept: [], errors,
    };
    const prepared: PreparedItem = { index, input, className: '', values: {}, lookups: [], result: { ...result } };
    prepared.result.errors = errors;
    if (typeof input?.ref !== 'string' || input.ref.trim() === '') errors.push({ field: at('ref'), reason: 'is required' });
    else if (input.ref.length > MAX_REF) errors.push({ field: at('ref'), reason: `must be at most ${MAX_REF} characters, got ${input.ref.length}` });
    else if (seenRefs.has(input.ref)) errors.push({ field: at('ref'), reason: `'${input.ref}' is used by an earlier item of this payload` });
    else seenRefs.add(input.ref);

    const classErrors: FieldError[] = [];
    const cls = resolveClass(catalog, input?.class, at('class'), classErrors, true);
    errors.push(...classErrors);
    if (cls) prepared.className = cls.name;

    // Common fields: validated like a manual update (null means "no value"), name is optional here.
    const commonInput = Object.fromEntries(COMMON_RECONCILED.filter((k) => input?.[k] !== undefined).map((k) => [k, input[k]]));
    const commonErrors: FieldError[] = [];
    const common = validateCommonFields(commonInput, 'update', commonErrors);
    errors.push(...commonErrors.map((e) => ({ ...e, field: at(e.field) })));
    Object.assign(prepared.values, common);

    if (cls) {
      const attrs = input.attributes ?? {};
      if (typeof attrs !== 'object' || Array.isArray(attrs)) errors.push({ field: at('attributes'), reason: 'must be an object' });
      else {
        for (const [name, value] of Object.entries(attrs)) {
          const def = cls.attributes.get(name);
          if (!def) errors.push({ field: at(`attributes.${name}`), reason: `class ${cls.name} has no attribute '${name}'${didYouMean(name, cls.attributes.keys())}` });
          else if (value === null) prepared.values[name] = null;
          else {
            const coerced = coerceValue(def, value);
            if (coerced.ok) prepared.values[name] = coerced.value;
            else errors.push({ field: at(`attributes.${name}`), reason: coerced.reason });
          }
        }
      }
      prepared.lookups = prepareLookups(catalog, input.lookup ?? [], at, errors);
      if (!errors.length) checkIdentity(catalog, prepared, cls.name, errors, at);
    }
    if (input?.sourceNativeKey !== undefined && input.sourceNativeKey !== null && (typeof input.sourceNativeKey !== 'string' || input.sourceNativeKey === '')) {
      errors.push({ field: at('sourceNativeKey'), reason: 'must be a non-empty string' });
    } else if (typeof input?.sourceNativeKey === 'string' && Buffer.byteLength(input.sourceNativeKey, 'utf8') > INDEXED_MAX_LENGTH) {
      errors.push({ field: at('sourceNativeKey'), reason: `must be at most ${INDEXED_MAX_LENGTH} bytes (it is indexed)` });
    }
    return prepared;
  });
}

function prepareLookups(catalog: Catalog, lookups: NonNullable<ReconcileItemInput['lookup']>, at: (f: string) => string, errors: FieldError[]) {
  const out: PreparedItem['lookups'] = [];
  lookups.forEach((lookup, j) => {
    const cls = catalog.getClass(lookup.class);
    if (!cls) return errors.push({ field: at(`lookup[${j}].class`), reason: `class '${lookup.class}' is not in the model${didYouMean(lookup.class, catalog.classes.keys())}` });
    const values: Record<string, StoredValue> = {};
    for (const [name, value] of Object.entries(lookup.attributes ?? {})) {
      const def = cls.attributes.get(name);
      const coerced = def ? coerceValue(def, value) : null;
      if (!coerced) errors.push({ field: at(`lookup[${j}].attributes.${name}`), reason: `class ${cls.name} has no attribute '${name}'` });
      else if (!coerced.ok) errors.push({ field: at(`lookup[${j}].attributes.${name}`), reason: coerced.reason });
      else values[name] = coerced.value;
    }
    const usable = cls.identification.some((r) => !r.relatedVia && r.identifiers.every((id) => values[id] !== undefined));
    if (!usable) return errors.push({ field: at(`lookup[${j}]`), reason: `needs the identifiers of one of ${cls.name}'s rules` });
    out.push({ className: cls.name, values });
  });
  return out;
}

/** An item must carry at least one way to be identified, else it could only ever create duplicates. */
function checkIdentity(catalog: Catalog, item: PreparedItem, className: string, errors: FieldError[], at: (f: string) => string): void {
  const cls = catalog.getClass(className)!;
  if (item.input.sourceNativeKey || item.lookups.length) return;
  const complete = cls.identification.some((rule) => rule.identifiers.every((id) => item.values[id] !== undefined && item.values[id] !== null));
  if (complete) return;
  const options = cls.identification.map((r) => `[${r.identifiers.join(', ')}]${r.relatedVia ? ` + ${r.relatedVia.type}` : ''}`).join(' | ');
  errors.push({ field: at('attributes'), reason: `missing identity: ${className} is identified by ${options || 'nothing'}; give one of these, a sourceNativeKey or a lookup` });
}
