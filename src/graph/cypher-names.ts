import { Catalog } from '../model/catalog';
import { PLAIN_CI_PROPERTIES } from './ci.record';

/*
 * Labels, relationship types and property keys cannot be Cypher parameters. These helpers
 * only emit names that the catalog holds (which the model loader restricted to [A-Za-z0-9_]),
 * and throw otherwise, so no request string can reach a query text.
 */

const SAFE = /^[A-Za-z][A-Za-z0-9_]*$/;

function quoted(name: string): string {
  if (!SAFE.test(name)) throw new Error(`refusing unsafe Cypher identifier ${JSON.stringify(name)}`);
  return '`' + name + '`';
}

export function classLabel(catalog: Catalog, className: string): string {
  if (!catalog.getClass(className)) throw new Error(`class '${className}' is not in the catalog`);
  return quoted(className);
}

export function relType(catalog: Catalog, type: string): string {
  if (!catalog.getRelationshipType(type)) throw new Error(`relationship type '${type}' is not in the catalog`);
  return quoted(type);
}

/** `A|B|C` for a type alternation; every type must be in the catalog. */
export function relTypes(catalog: Catalog, types: string[]): string {
  return types.map((t) => relType(catalog, t)).join('|');
}

export function attributeKey(catalog: Catalog, name: string): string {
  if (name !== 'name' && !catalog.attributeNames().has(name)) throw new Error(`attribute '${name}' is not in the catalog`);
  return quoted(name);
}

/** A common CI field read as a property (a projection); only the fixed list of plain fields passes. */
export function plainCiProperty(name: string): string {
  if (!(PLAIN_CI_PROPERTIES as readonly string[]).includes(name)) throw new Error(`'${name}' is not a plain CI property`);
  return quoted(name);
}

/** `[v.f1, v.f2, ...]`: the plain properties of a CI in the given order, read back by readPlainCi. */
export function plainCiList(variable: string, fields: readonly string[]): string {
  return `[${fields.map((f) => `${variable}.${plainCiProperty(f)}`).join(', ')}]`;
}
