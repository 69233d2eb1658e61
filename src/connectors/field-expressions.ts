/**
 * How a mapping file says where a CI attribute comes from in a tool's record, the same way for every connector
 * that maps records by table (Terraform, ServiceNow, CSV):
 *   `path.to.value`           a path into the record (numeric segments index lists: metadata.0.uid)
 *   `path | firstLabel`       a transform (firstLabel, number, leadingNumber, boolean, lower, value, display)
 *   `[pathA, pathB]`          the first that has a value
 *   `{ list: [pathA, pathB] }` every value, as a list
 *   `=text`                   a constant
 * Empty strings count as no value: tools print "" for fields they do not know.
 */
export type FieldExpression = string | string[] | { list: string[] };

type Transform = (v: unknown) => unknown;

const TRANSFORMS: Record<string, Transform> = {
  firstLabel: (v) => (typeof v === 'string' ? v.split('.')[0] : v),
  number: (v) => {
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    return Number.isFinite(n) ? n : undefined;
  },
  // "8 cores" -> 8, "16GB" -> 16: spreadsheets put units beside numbers.
  leadingNumber: (v) => {
    const m = typeof v === 'number' ? [String(v)] : typeof v === 'string' ? /^\s*(-?\d+(?:\.\d+)?)/.exec(v) : null;
    return m ? Number(m[m.length - 1]) : undefined;
  },
  boolean: (v) => (typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : undefined),
  lower: (v) => (typeof v === 'string' ? v.toLowerCase() : v),
  // ServiceNow reference fields: {link, value} or {display_value, value}.
  value: (v) => (v && typeof v === 'object' && 'value' in v ? (v as { value: unknown }).value : v),
  display: (v) => (v && typeof v === 'object' ? (v as { display_value?: unknown; value?: unknown }).display_value ?? (v as { value?: unknown }).value : v),
};

const present = (v: unknown) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);

/** Problems in an expression (unknown transforms, wrong shapes), for the mapping file's check. */
export function expressionProblems(where: string, e: unknown): string[] {
  const one = (s: unknown): string[] => {
    if (typeof s !== 'string' || !s.trim()) return [`${where}: a path must be a non-empty string`];
    if (s.startsWith('=')) return [];
    return s.split('|').slice(1).map((t) => t.trim()).filter((t) => !TRANSFORMS[t]).map((t) => `${where}: unknown transform '${t}' (one of ${Object.keys(TRANSFORMS).join(', ')})`);
  };
  if (Array.isArray(e)) return e.length ? e.flatMap(one) : [`${where}: an empty list`];
  if (e && typeof e === 'object') {
    const list = (e as { list?: unknown }).list;
    return Array.isArray(list) && list.length ? list.flatMap(one) : [`${where}: { list: [...] } needs paths`];
  }
  return one(e);
}

function at(record: unknown, path: string): unknown {
  let v: unknown = record;
  for (const key of path.split('.')) {
    if (v === null || v === undefined) return undefined;
    if (Array.isArray(v) && /^\d+$/.test(key)) v = v[Number(key)];
    else if (typeof v === 'object') v = Object.prototype.hasOwnProperty.call(v, key) ? (v as Record<string, unknown>)[key] : undefined;
    else return undefined;
  }
  return v;
}

function single(record: unknown, expr: string): unknown {
  if (expr.startsWith('=')) return expr.slice(1);
  const [path, ...transforms] = expr.split('|').map((s) => s.trim());
  let v = at(record, path);
  for (const t of transforms) v = present(v) ? TRANSFORMS[t](v) : v;
  return present(v) ? v : undefined;
}

/** The expression's value in the record, or undefined when the record has none. */
export function evaluate(record: unknown, expr: FieldExpression): unknown {
  if (typeof expr === 'string') return single(record, expr);
  if (Array.isArray(expr)) {
    for (const e of expr) {
      const v = single(record, e);
      if (v !== undefined) return v;
    }
    return undefined;
  }
  const values = expr.list.map((e) => single(record, e)).filter((v) => v !== undefined);
  return values.length ? values.map(String) : undefined;
}

/** Every attribute of a mapping, evaluated; attributes without a value are left out. */
export function evaluateAll(record: unknown, attributes: Record<string, FieldExpression>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, expr] of Object.entries(attributes)) {
    const v = evaluate(record, expr);
    if (v !== undefined) out[name] = v;
  }
  return out;
}
