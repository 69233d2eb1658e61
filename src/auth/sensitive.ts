import { Catalog } from '../model/catalog';

/** The names of the attributes the model flags `sensitive` for this class (inherited flags included). */
export function sensitiveAttributes(catalog: Catalog, className: string): ReadonlySet<string> {
  const cls = catalog.getClass(className);
  if (!cls) return new Set();
  return new Set([...cls.attributes.values()].filter((a) => a.sensitive).map((a) => a.name));
}

/** A copy without the sensitive keys (the same object when there are none). */
export function withoutSensitive<T extends Record<string, unknown>>(values: T, sensitive: ReadonlySet<string>): T {
  if (!sensitive.size || !Object.keys(values).some((k) => sensitive.has(k))) return values;
  return Object.fromEntries(Object.entries(values).filter(([k]) => !sensitive.has(k))) as T;
}

/** A history value for a principal without READ_SENSITIVE: a sensitive field's value, or sensitive keys of a snapshot, removed. */
export function redactChangeValue(field: string | null, value: unknown, sensitive: ReadonlySet<string>): { value: unknown; redacted: boolean } {
  if (field && sensitive.has(field)) return { value: null, redacted: value !== null && value !== undefined };
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    const attrs = v.attributes && typeof v.attributes === 'object' ? (v.attributes as Record<string, unknown>) : null;
    const top = withoutSensitive(v, sensitive);
    const inner = attrs ? withoutSensitive(attrs, sensitive) : null;
    if (top === v && inner === attrs) return { value, redacted: false };
    return { value: inner ? { ...top, attributes: inner } : top, redacted: true };
  }
  return { value, redacted: false };
}

interface ItemWithValues {
  class: string;
  changes: { field: string; oldValue: unknown }[];
  kept: { field: string; kept: unknown }[];
}

/**
 * A reconcile answer for a caller without READ_SENSITIVE: the values it did not send itself (the previous value
 * of a changed sensitive field, the value another source holds) are removed.
 */
export function redactReconcileItems<T extends ItemWithValues>(catalog: Catalog, items: T[]): T[] {
  return items.map((item) => {
    const sensitive = sensitiveAttributes(catalog, item.class);
    if (!sensitive.size) return item;
    return {
      ...item,
      changes: item.changes.map((c) => (sensitive.has(c.field) ? { ...c, oldValue: null } : c)),
      kept: item.kept.map((k) => (sensitive.has(k.field) ? { ...k, kept: null } : k)),
    };
  });
}
