/**
 * Mapping tables (tool type -> CI class, tool relationship -> catalog relationship) are data beside each connector,
 * read at run time, so a user extends them like the model: copy the file, edit it, pass it with --mapping.
 */
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { parse as parseYaml } from 'yaml';
import { projectRoot } from '../project-root';
import { ParseError } from './contract';

export function mappingPath(connector: string): string {
  return join(projectRoot(), 'src', 'connectors', connector, 'mapping.yaml');
}

/** The user's mapping file if given, else the connector's own; `check` names what is wrong in it. */
export function loadMapping<T>(connector: string, file: string | undefined, check: (m: Record<string, unknown>) => string[]): T {
  const path = file ?? mappingPath(connector);
  if (!existsSync(path)) throw new ParseError(path, 'mapping', 'no such mapping file');
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(path, 'utf8'), { merge: true });
  } catch (e) {
    throw new ParseError(path, 'mapping', `not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new ParseError(path, 'mapping', 'a mapping file is a YAML object');
  const problems = check(doc as Record<string, unknown>);
  if (problems.length) throw new ParseError(path, 'mapping', problems.join('; '));
  return doc as T;
}

/** Checks that each named key of `doc` is an object of strings. */
export function stringTables(doc: Record<string, unknown>, keys: string[]): string[] {
  return keys.flatMap((k) => {
    const v = doc[k];
    if (!v || typeof v !== 'object' || Array.isArray(v)) return [`'${k}' must be a table of names`];
    return Object.entries(v).filter(([, x]) => typeof x !== 'string').map(([name]) => `'${k}.${name}' must be a name`);
  });
}
