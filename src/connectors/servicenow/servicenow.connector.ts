/**
 * ServiceNow Table API export: the `{"result": [...]}` answers of GET /api/now/table/cmdb_ci_* and of cmdb_rel_ci,
 * with or without display values, one or several files. The migration path off ServiceNow: sys_class_name maps to
 * our classes, sys_id is the native key, and cmdb_rel_ci types ("Depends on::Used by") map to the catalog.
 * Relationships may come before or after the CIs they join, in any file of the run.
 */
import type { Readable } from 'stream';
import { Connector, ParseError, RecordGroup, RecordPosition, RunContext, skipped } from '../contract';
import { evaluateAll, expressionProblems, FieldExpression } from '../field-expressions';
import { jsonValues } from '../json-stream';
import { loadMapping } from '../mapping';

interface ServiceNowMapping {
  classes: Record<string, { class: string; attributes: Record<string, FieldExpression> }>;
  common: Partial<Record<'environment' | 'owner' | 'supportGroup', FieldExpression>>;
  relationshipTypes: Record<string, { type: string; reverse?: boolean }>;
  relationshipTypeIds: Record<string, string>;
}

type Obj = Record<string, any>;
/** A field's stored value: reference fields are {link, value} or {display_value, value}. */
const raw = (v: unknown): unknown => (v && typeof v === 'object' && 'value' in (v as Obj) ? (v as Obj).value : v);
const display = (v: unknown): unknown => (v && typeof v === 'object' ? (v as Obj).display_value ?? (v as Obj).value : v);

export function loadServiceNowMapping(file?: string): ServiceNowMapping {
  return loadMapping<ServiceNowMapping>('servicenow', file, (m) => {
    const problems: string[] = [];
    for (const [name, c] of Object.entries((m.classes ?? {}) as Record<string, Obj>)) {
      if (typeof c?.class !== 'string') problems.push(`'classes.${name}.class' must be a class name`);
      for (const [a, e] of Object.entries((c?.attributes ?? {}) as Record<string, unknown>)) problems.push(...expressionProblems(`classes.${name}.attributes.${a}`, e));
    }
    for (const [f, e] of Object.entries((m.common ?? {}) as Record<string, unknown>)) problems.push(...expressionProblems(`common.${f}`, e));
    for (const [name, r] of Object.entries((m.relationshipTypes ?? {}) as Record<string, Obj>)) if (typeof r?.type !== 'string') problems.push(`'relationshipTypes.${name}.type' must be a relationship type`);
    if (!m.classes) problems.push("'classes' is missing");
    return problems;
  });
}

class ServiceNowRun {
  private readonly mapping: ServiceNowMapping;

  constructor(context: RunContext) {
    this.mapping = loadServiceNowMapping(context.mappingFile);
  }

  async *parse(input: Readable, file: string): AsyncIterable<RecordGroup> {
    let any = false;
    const single: Obj = {};
    for await (const { path, value } of jsonValues(input, file, ['$.result.*', '$.error'])) {
      if (path[0] === 'error') {
        const e = value as Obj;
        throw new ParseError(file, '$.error', `ServiceNow answered with an error, not records: ${e?.message ?? JSON.stringify(e)}${e?.detail ? ` (${e.detail})` : ''}`);
      }
      any = true;
      if (typeof path[1] !== 'number') {
        single[path[1]] = value; // GET .../<sys_id> answers one record as an object
        continue;
      }
      yield this.record(value as Obj, { file, at: `$.result[${path[1]}]`, key: null });
    }
    if (Object.keys(single).length) yield this.record(single, { file, at: '$.result', key: null });
    if (!any) throw new ParseError(file, 'root', 'this is not a ServiceNow Table API answer (no "result"); export with GET /api/now/table/<table>');
  }

  private record(r: Obj, position: RecordPosition): RecordGroup {
    const sysId = raw(r?.sys_id);
    position.key = typeof sysId === 'string' ? sysId : null;
    if (r && 'parent' in r && 'child' in r && 'type' in r) return this.relationship(r, position);
    if (typeof sysId !== 'string' || !sysId) return skipped(position, 'sys_id', 'missing: CIs are keyed by sys_id');
    const table = String(raw(r.sys_class_name) ?? '');
    const m = this.mapping.classes[table] ?? this.mapping.classes[String(display(r.sys_class_name) ?? '')];
    if (!m) return skipped(position, 'sys_class_name', `'${table || '(none)'}' is not in the mapping (classes); the record was skipped`);
    const name = display(r.name);
    const common = evaluateAll(r, this.mapping.common as Record<string, FieldExpression>);
    return {
      position, relationships: [], problems: [],
      items: [{
        ref: `sn:${sysId}`, class: m.class, ...(typeof name === 'string' && name ? { name } : {}), sourceNativeKey: sysId,
        ...Object.fromEntries(Object.entries(common).map(([k, v]) => [k, String(v)])),
        attributes: evaluateAll(r, m.attributes),
      }],
    };
  }

  private relationship(r: Obj, position: RecordPosition): RecordGroup {
    const parent = raw(r.parent);
    const child = raw(r.child);
    const typeName = typeof r.type === 'string' ? (this.mapping.relationshipTypeIds[r.type] ?? r.type)
      : String(r.type?.display_value ?? this.mapping.relationshipTypeIds[String(r.type?.value)] ?? r.type?.value ?? '');
    const rule = this.mapping.relationshipTypes[typeName];
    if (!rule) return skipped(position, 'type', `relationship type '${typeName}' is not in the mapping (relationshipTypes or relationshipTypeIds); skipped`);
    if (typeof parent !== 'string' || !parent || typeof child !== 'string' || !child) return skipped(position, 'parent', 'a relationship needs a parent and a child');
    const [from, to] = rule.reverse ? [child, parent] : [parent, child];
    return { position, items: [], relationships: [{ from: `sn:${from}`, to: `sn:${to}`, type: rule.type }], problems: [] };
  }
}

export const serviceNowConnector: Connector = {
  name: 'servicenow',
  description: 'ServiceNow Table API export ({"result": [...]} of cmdb_ci_* tables and cmdb_rel_ci)',
  defaultSource: 'servicenow',
  sourceKind: 'IMPORT',
  defaultScope: 'default',
  start: (context) => new ServiceNowRun(context),
};
