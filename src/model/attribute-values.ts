import { AttributeDef, AttributeLimits, AttributeType, CiClassDef } from './catalog.types';
import { FieldError } from './field-error';
import { didYouMean } from './suggest';

/** A value as stored on the node: JSON attributes are kept as strings, datetimes as ISO-8601 UTC. */
export type StoredValue = string | number | boolean | string[];

type Coerced = { ok: true; value: StoredValue } | { ok: false; reason: string };

const describe = (v: unknown): string => {
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  const text = JSON.stringify(v) ?? String(v);
  return `${typeof v} ${text.length > 60 ? `${text.slice(0, 60)}..."` : text}`;
};

/**
 * Every stored value is bounded; an attribute may set its own bounds in the model (maxLength, maxItems, maxDepth).
 * A string stays well under Neo4j's index key limit by default (about 8 KB: identifiers are indexed, and a value over
 * it failed the whole batch), a JSON value is bounded in size and nesting (deep nesting overflowed the stack), and a
 * list in length. History copies values, so these also bound history.
 */
export const INDEXED_MAX_LENGTH = 4000;
const DEFAULT_LIMITS: AttributeLimits = { maxLength: INDEXED_MAX_LENGTH, maxItems: 1000, maxDepth: 32 };
const DEFAULT_JSON_LENGTH = 65_536;

/** The most a model may allow; past these one value would dominate a request body and its history. */
export const LIMIT_CEILINGS: AttributeLimits = { maxLength: 1_048_576, maxItems: 10_000, maxDepth: 64 };

/** Which limits apply to a type (the others are ignored and may not be set in the model). */
export const LIMITS_BY_TYPE: Record<AttributeType, (keyof AttributeLimits)[]> = {
  string: ['maxLength'],
  stringList: ['maxLength', 'maxItems'],
  json: ['maxLength', 'maxDepth'],
  int: [],
  float: [],
  boolean: [],
  datetime: [],
};

export function defaultLimits(type: AttributeType): AttributeLimits {
  return type === 'json' ? { ...DEFAULT_LIMITS, maxLength: DEFAULT_JSON_LENGTH } : { ...DEFAULT_LIMITS };
}

/** Nesting depth of a JSON value, measured without recursion. */
function jsonDepthOver(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v as object)) stack.push([child, depth + 1]);
  }
  return false;
}

/** Checks one input value against its attribute type and converts it to its stored form. */
export function coerceValue(def: AttributeDef, value: unknown): Coerced {
  const { maxLength, maxItems, maxDepth } = def.limits;
  const tooLong = (s: string) => Buffer.byteLength(s, 'utf8') > maxLength;
  const fail = (expected: string): Coerced => ({ ok: false, reason: `must be ${expected}, got ${describe(value)}` });
  switch (def.type) {
    case 'string':
      if (typeof value !== 'string') return fail('a string');
      if (value.trim() === '') return { ok: false, reason: 'must not be empty; send null to clear it' };
      if (tooLong(value)) return { ok: false, reason: `must be at most ${maxLength} bytes, got ${Buffer.byteLength(value, 'utf8')}` };
      return { ok: true, value };
    case 'int':
      return typeof value === 'number' && Number.isSafeInteger(value) ? { ok: true, value } : fail('an integer');
    case 'float':
      return typeof value === 'number' && Number.isFinite(value) ? { ok: true, value } : fail('a number');
    case 'boolean':
      return typeof value === 'boolean' ? { ok: true, value } : fail('true or false');
    case 'datetime': {
      if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) return fail('an ISO-8601 date-time');
      const date = new Date(value);
      return Number.isNaN(date.getTime()) ? fail('a valid ISO-8601 date-time') : { ok: true, value: date.toISOString() };
    }
    case 'stringList':
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) return fail('a list of strings');
      if (value.length > maxItems) return { ok: false, reason: `must have at most ${maxItems} items, got ${value.length}` };
      if (value.some(tooLong)) return { ok: false, reason: `each item must be at most ${maxLength} bytes` };
      return { ok: true, value: [...value] };
    case 'json': {
      if (value === undefined) return fail('a JSON value');
      if (jsonDepthOver(value, maxDepth)) return { ok: false, reason: `must be nested at most ${maxDepth} levels deep` };
      const text = JSON.stringify(value);
      const bytes = Buffer.byteLength(text, 'utf8');
      if (bytes > maxLength) return { ok: false, reason: `must be at most ${maxLength} bytes as JSON, got ${bytes}` };
      return { ok: true, value: text };
    }
  }
}

/** Converts a stored value back to its API form. */
export function readValue(def: AttributeDef, stored: unknown): unknown {
  if (stored === null || stored === undefined) return null;
  if (def.type === 'json' && typeof stored === 'string') return JSON.parse(stored);
  return stored;
}

export interface AttributeChanges {
  /** Attributes to set, in stored form. */
  set: Record<string, StoredValue>;
  /** Attributes to remove (sent as null on update). */
  remove: string[];
}

/**
 * Validates an attributes object for a class. On create every required attribute must be
 * present; on update `existing` tells which required ones are already set, and null clears.
 */
export function validateAttributes(
  cls: CiClassDef,
  input: unknown,
  mode: 'create' | 'update',
  errors: FieldError[],
  existing: Record<string, unknown> = {},
): AttributeChanges {
  const changes: AttributeChanges = { set: {}, remove: [] };
  if (input === undefined || input === null) input = {};
  if (typeof input !== 'object' || Array.isArray(input)) {
    errors.push({ field: 'attributes', reason: `must be an object of attribute values, got ${describe(input)}` });
    return changes;
  }
  for (const [name, value] of Object.entries(input as Record<string, unknown>)) {
    const field = `attributes.${name}`;
    const def = cls.attributes.get(name);
    if (!def) {
      errors.push({ field, reason: `class ${cls.name} has no attribute '${name}'${didYouMean(name, cls.attributes.keys())}` });
      continue;
    }
    if (value === null) {
      if (mode === 'update') {
        if (def.required) errors.push({ field, reason: `is required by class ${cls.name} and cannot be cleared` });
        else changes.remove.push(name);
      }
      continue;
    }
    const coerced = coerceValue(def, value);
    if (coerced.ok) changes.set[name] = coerced.value;
    else errors.push({ field, reason: coerced.reason });
  }
  for (const def of cls.attributes.values()) {
    if (!def.required || def.name in changes.set) continue;
    const present = mode === 'update' && existing[def.name] !== undefined && existing[def.name] !== null;
    if (!present && !changes.remove.includes(def.name) && !(def.name in (input as object))) {
      errors.push({ field: `attributes.${def.name}`, reason: `is required by class ${cls.name}` });
    }
  }
  return changes;
}
