/**
 * The event binding rules (schema/events.yaml), checked against the catalog at start-up: each rule's class,
 * attributes and relationship types must exist, so the Cypher built from them only ever names catalog labels,
 * types and keys.
 */
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { parse as parseYaml } from 'yaml';
import { Catalog } from '../model/catalog';
import { projectRoot } from '../project-root';

export const OPERATIONAL_STATES = ['OPERATIONAL', 'DEGRADED', 'DOWN'] as const;
export type OperationalState = (typeof OPERATIONAL_STATES)[number] | 'IN_MAINTENANCE';

export interface BindingRule {
  name: string;
  label: string;
  stripPort: boolean;
  /** The value is a CI id. */
  id: boolean;
  class: string | null;
  attributes: string[];
  follow: { type: string; to: string } | null;
  within: { label: string; class: string } | null;
}

export interface EventBinding {
  rules: BindingRule[];
  states: Record<string, (typeof OPERATIONAL_STATES)[number]>;
  defaultState: (typeof OPERATIONAL_STATES)[number];
}

export class EventBindingError extends Error {
  constructor(readonly file: string, readonly problems: string[]) {
    super(`${file}: ${problems.join('; ')}`);
    this.name = 'EventBindingError';
  }
}

type Raw = Record<string, any>;

export function eventBindingPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.CMDB_EVENTS_PATH || join(projectRoot(), 'schema', 'events.yaml');
}

export function loadEventBinding(catalog: Catalog, file = eventBindingPath()): EventBinding {
  if (!existsSync(file)) throw new EventBindingError(file, ['no such file']);
  let doc: Raw;
  try {
    doc = parseYaml(readFileSync(file, 'utf8')) as Raw;
  } catch (e) {
    throw new EventBindingError(file, [`not valid YAML: ${(e as Error).message.split('\n')[0]}`]);
  }
  const problems: string[] = [];
  const hasAttribute = (cls: string, a: string) => a === 'name' || catalog.descendants(cls).some((c) => catalog.getClass(c)?.attributes.has(a));
  const rules: BindingRule[] = (Array.isArray(doc?.rules) ? doc.rules as Raw[] : []).map((r, i) => {
    const at = `rules[${i}]${r?.name ? ` (${r.name})` : ''}`;
    if (typeof r?.label !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(r.label)) problems.push(`${at}: label must be a Prometheus label name`);
    if (r?.strip !== undefined && r.strip !== 'port') problems.push(`${at}: strip can only be 'port'`);
    const id = r?.id === true;
    const cls = typeof r?.class === 'string' ? r.class : null;
    if (!id && (!cls || !catalog.getClass(cls))) problems.push(`${at}: class must be a class of the model, got ${JSON.stringify(r?.class)}`);
    const attributes = Array.isArray(r?.attributes) ? r.attributes.map(String) : [];
    if (!id && !attributes.length) problems.push(`${at}: give attributes to look the value up in (or id: true)`);
    if (cls && catalog.getClass(cls)) for (const a of attributes) if (!hasAttribute(cls, a)) problems.push(`${at}: ${cls} has no attribute '${a}'`);
    const follow = r?.follow ? { type: String(r.follow.type), to: String(r.follow.to) } : null;
    if (follow && !catalog.getRelationshipType(follow.type)) problems.push(`${at}: follow.type '${follow.type}' is not a relationship type of the catalog`);
    if (follow && !catalog.getClass(follow.to)) problems.push(`${at}: follow.to '${follow.to}' is not a class of the model`);
    const within = r?.within ? { label: String(r.within.label), class: String(r.within.class) } : null;
    if (within && !catalog.getClass(within.class)) problems.push(`${at}: within.class '${within.class}' is not a class of the model`);
    return { name: String(r?.name ?? `rule ${i}`), label: String(r?.label), stripPort: r?.strip === 'port', id, class: cls, attributes, follow, within };
  });
  if (!rules.length) problems.push('rules: give at least one binding rule');
  const states: EventBinding['states'] = {};
  for (const [k, v] of Object.entries((doc?.states ?? {}) as Raw)) {
    if (!(OPERATIONAL_STATES as readonly string[]).includes(String(v))) problems.push(`states.${k}: must be one of ${OPERATIONAL_STATES.join(', ')}`);
    else states[k.toLowerCase()] = v;
  }
  const defaultState = doc?.defaultState ?? 'DEGRADED';
  if (!(OPERATIONAL_STATES as readonly string[]).includes(defaultState)) problems.push(`defaultState: must be one of ${OPERATIONAL_STATES.join(', ')}`);
  if (problems.length) throw new EventBindingError(file, problems);
  return { rules, states, defaultState };
}

/** "web-01:9100" -> "web-01", "[2001:db8::1]:9100" -> "2001:db8::1", "10.0.0.5:9100" -> "10.0.0.5"; a bare IPv6 address stays. */
export function stripPort(value: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) return bracketed[1];
  if ((value.match(/:/g) ?? []).length === 1) return value.replace(/:\d+$/, '');
  return value;
}
