/**
 * CSV with a mapping file (--mapping): the spreadsheet import every CMDB team has. The mapping (YAML) names the
 * row key column, the class (fixed, or from a column through a table), the attributes and common fields as field
 * expressions over the columns, and relationships to other rows by their key. Columns the mapping needs but the
 * header lacks fail the run before anything is loaded.
 */
import type { Readable } from 'stream';
import { CsvError, parse as parseCsv } from 'csv-parse';
import { Connector, ParseError, ReconcileRelationship, RecordGroup, RunContext, skipped } from '../contract';
import { evaluateAll, expressionProblems, FieldExpression } from '../field-expressions';
import { loadMapping } from '../mapping';

interface CsvMapping {
  /** The column whose value is the row's key: its native key, and what relationship columns refer to. */
  key: string;
  class?: string;
  classColumn?: string;
  /** classColumn value -> a class, or a class with attributes of its own (added to `attributes`). */
  classes?: Record<string, string | { class: string; attributes?: Record<string, FieldExpression> }>;
  name?: FieldExpression;
  attributes?: Record<string, FieldExpression>;
  common?: Partial<Record<'environment' | 'owner' | 'supportGroup' | 'criticality', FieldExpression>>;
  /** Columns that must have a value in every row (the identifiers); a row without one is skipped with the reason. */
  required?: string[];
  relationships?: { column: string; type: string; reverse?: boolean; separator?: string }[];
  delimiter?: string;
}

/** Column names an expression reads (constants aside). */
const columnsOf = (e: FieldExpression | undefined): string[] => {
  if (e === undefined) return [];
  const list = typeof e === 'string' ? [e] : Array.isArray(e) ? e : e.list;
  return list.filter((s) => !s.startsWith('=')).map((s) => s.split('|')[0].trim());
};

export function loadCsvMapping(file: string | undefined): CsvMapping {
  if (!file) throw new ParseError('mapping', '--mapping', 'the csv connector needs a mapping file: cmdb import csv FILE.csv --mapping FILE.yaml (see the README for its form)');
  return loadMapping<CsvMapping>('csv', file, (m) => {
    const problems: string[] = [];
    if (typeof m.key !== 'string') problems.push("'key' must name the column that keys each row");
    if (typeof m.class !== 'string' && typeof m.classColumn !== 'string') problems.push("give 'class' (one class for every row) or 'classColumn' with 'classes'");
    if (typeof m.classColumn === 'string' && (!m.classes || typeof m.classes !== 'object')) problems.push("'classColumn' needs 'classes': column value -> class");
    if (m.attributes !== undefined && (typeof m.attributes !== 'object' || m.attributes === null)) problems.push("'attributes' must map attribute names to columns");
    for (const [v, c] of Object.entries((m.classes ?? {}) as Record<string, unknown>)) {
      const entry = c as { class?: unknown; attributes?: Record<string, unknown> } | string;
      if (typeof entry !== 'string' && typeof entry?.class !== 'string') problems.push(`'classes.${v}' must be a class name or { class, attributes }`);
      if (typeof entry === 'object') for (const [a, e] of Object.entries(entry.attributes ?? {})) problems.push(...expressionProblems(`classes.${v}.attributes.${a}`, e));
    }
    for (const [a, e] of Object.entries((m.attributes ?? {}) as Record<string, unknown>)) problems.push(...expressionProblems(`attributes.${a}`, e));
    for (const [a, e] of Object.entries((m.common ?? {}) as Record<string, unknown>)) problems.push(...expressionProblems(`common.${a}`, e));
    if (m.name !== undefined) problems.push(...expressionProblems('name', m.name));
    for (const [i, r] of ((m.relationships ?? []) as Record<string, unknown>[]).entries()) {
      if (typeof r?.column !== 'string' || typeof r?.type !== 'string') problems.push(`relationships[${i}] needs a column and a type`);
    }
    return problems;
  });
}

class CsvRun {
  private readonly mapping: CsvMapping;
  readonly refersAcrossRecords: boolean;

  constructor(context: RunContext) {
    this.mapping = loadCsvMapping(context.mappingFile);
    this.refersAcrossRecords = (this.mapping.relationships ?? []).length > 0;
  }

  private needed(): string[] {
    const m = this.mapping;
    return [...new Set([
      m.key, ...(m.classColumn ? [m.classColumn] : []), ...columnsOf(m.name), ...Object.values(m.attributes ?? {}).flatMap(columnsOf),
      ...Object.values(m.classes ?? {}).flatMap((c) => (typeof c === 'object' ? Object.values(c.attributes ?? {}).flatMap(columnsOf) : [])),
      ...Object.values(m.common ?? {}).flatMap((e) => columnsOf(e as FieldExpression)), ...(m.required ?? []), ...(m.relationships ?? []).map((r) => r.column),
    ])];
  }

  async *parse(input: Readable, file: string): AsyncIterable<RecordGroup> {
    const m = this.mapping;
    const parser = input.pipe(parseCsv({ columns: true, bom: true, info: true, skip_empty_lines: true, trim: true, delimiter: m.delimiter ?? ',' }));
    let checked = false;
    try {
      for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
        if (!checked) {
          checked = true;
          const missing = this.needed().filter((c) => !(c in record));
          if (missing.length) {
            throw new ParseError(file, 'line 1 (header)', `the mapping needs column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `'${c}'`).join(', ')}, which the header lacks (it has ${Object.keys(record).map((c) => `'${c}'`).join(', ')})`);
          }
        }
        yield this.row(record, file, info.lines);
      }
    } catch (e) {
      if (e instanceof CsvError) throw new ParseError(file, `line ${(e as CsvError & { lines?: number }).lines ?? '?'}`, `not valid CSV: ${e.message}`);
      throw e;
    }
    if (!checked) throw new ParseError(file, 'line 1', 'the file has no rows (a header and at least one row are needed)');
  }

  private row(r: Record<string, string>, file: string, line: number): RecordGroup {
    const m = this.mapping;
    const key = r[m.key];
    const position = { file, at: `line ${line}`, key: key || null };
    if (!key) return skipped(position, m.key, 'the key column is empty');
    for (const c of m.required ?? []) if (!r[c]) return skipped(position, c, 'is empty, and the mapping requires it (an identifier)');
    const entry = m.class ?? m.classes?.[r[m.classColumn!]];
    const cls = typeof entry === 'string' ? entry : entry?.class;
    const attributes = { ...(m.attributes ?? {}), ...(typeof entry === 'object' ? entry.attributes : {}) };
    if (!cls) return skipped(position, m.classColumn!, `'${r[m.classColumn!]}' is not in the mapping's classes (${Object.keys(m.classes ?? {}).join(', ')})`);
    const ref = `row:${key}`;
    const name = m.name ? evaluateAll(r, { name: m.name }).name : undefined;
    const common = evaluateAll(r, (m.common ?? {}) as Record<string, FieldExpression>);
    const relationships: ReconcileRelationship[] = [];
    for (const rel of m.relationships ?? []) {
      for (const other of (r[rel.column] ?? '').split(rel.separator ?? ';').map((s) => s.trim()).filter(Boolean)) {
        relationships.push(rel.reverse ? { from: `row:${other}`, to: ref, type: rel.type } : { from: ref, to: `row:${other}`, type: rel.type });
      }
    }
    return {
      position, relationships, problems: [],
      items: [{ ref, class: cls, ...(name !== undefined ? { name: String(name) } : {}), sourceNativeKey: key, ...Object.fromEntries(Object.entries(common).map(([k, v]) => [k, String(v)])), attributes: evaluateAll(r, attributes) }],
    };
  }
}

export const csvConnector: Connector = {
  name: 'csv',
  description: 'CSV with a mapping file (--mapping): columns to class, attributes, identifiers and relationships to other rows',
  defaultSource: 'csv',
  sourceKind: 'IMPORT',
  defaultScope: 'default',
  start: (context) => new CsvRun(context),
};
