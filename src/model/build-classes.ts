import {
  ATTRIBUTE_TYPES, AttributeDef, AttributeType, CiClassDef, COMMON_FIELDS, DIRECTIONS, EdgeDirection,
  ExpectedRelationship, IdentificationRule, RelationshipTypeDef,
} from './catalog.types';
import { defaultLimits, INDEXED_MAX_LENGTH, LIMIT_CEILINGS, LIMITS_BY_TYPE } from './attribute-values';
import type { ModelSource } from './load-catalog';
import { ModelProblems } from './model-error';

export interface RawAttribute {
  name?: string;
  type?: string;
  required?: boolean;
  recommended?: boolean;
  sensitive?: boolean;
  description?: string;
  maxLength?: number;
  maxItems?: number;
  maxDepth?: number;
}

export interface RawRule {
  identifiers?: string[];
  relatedVia?: { type?: string; direction?: string };
}

export interface RawClass {
  name?: string;
  parent?: string;
  abstract?: boolean;
  description?: string;
  /** In an extension file: add to an existing class instead of declaring a new one. */
  extend?: boolean;
  attributes?: RawAttribute[];
  identification?: RawRule[];
  expectedRelationships?: { type?: string; direction?: string }[];
  redundancy?: { type?: string; quorum?: number }[];
}

export const CLASS_NAME = /^[A-Z][A-Za-z0-9]*$/;
export const ATTRIBUTE_NAME = /^[a-z][A-Za-z0-9]*$/;
const ROOT = 'ConfigurationItem';

interface Located { raw: RawClass; file: string; where: string }

/** Gathers the class entries, applying `extend: true` entries onto their class. */
function collect(sources: ModelSource[], problems: ModelProblems): Map<string, Located[]> {
  const byName = new Map<string, Located[]>();
  for (const source of sources) {
    source.classes.forEach((raw, i) => {
      const where = `classes[${i}] (${raw?.name ?? 'unnamed'})`;
      if (!raw || typeof raw !== 'object') return problems.add(source.file, where, 'must be a mapping');
      if (typeof raw.name !== 'string' || !CLASS_NAME.test(raw.name)) {
        return problems.add(source.file, where, `name must match ${CLASS_NAME} (PascalCase), got ${JSON.stringify(raw.name)}`);
      }
      const entries = byName.get(raw.name);
      if (raw.extend) {
        if (!entries) return problems.add(source.file, where, `extends class '${raw.name}', which is not declared`, raw.name, byName.keys());
        entries.push({ raw, file: source.file, where });
      } else if (entries) {
        problems.add(source.file, where, `class '${raw.name}' is declared twice (use \`extend: true\` to add to it)`);
      } else {
        byName.set(raw.name, [{ raw, file: source.file, where }]);
      }
    });
  }
  return byName;
}

export function buildClasses(
  sources: ModelSource[],
  relationshipTypes: Map<string, RelationshipTypeDef>,
  problems: ModelProblems,
): Map<string, CiClassDef> {
  const entries = collect(sources, problems);
  const built = new Map<string, CiClassDef>();
  const visiting = new Set<string>();

  const build = (name: string): CiClassDef | undefined => {
    const done = built.get(name);
    if (done) return done;
    const located = entries.get(name);
    if (!located) return undefined;
    const [{ raw, file, where }] = located;
    if (visiting.has(name)) {
      problems.add(file, where, `parent chain loops back to '${name}'`);
      return undefined;
    }
    visiting.add(name);
    let parent: CiClassDef | undefined;
    if (name !== ROOT) {
      const parentName = raw.parent ?? ROOT;
      if (!entries.has(parentName)) {
        problems.add(file, where, `parent '${parentName}' is not a declared class`, parentName, entries.keys());
      } else {
        parent = build(parentName);
        if (!parent) return undefined;
      }
    } else if (raw.parent) {
      problems.add(file, where, `${ROOT} is the root and cannot have a parent`);
    }
    const cls: CiClassDef = {
      name,
      parent: parent?.name ?? null,
      abstract: raw.abstract === true,
      description: raw.description ?? null,
      ancestry: [...(parent?.ancestry ?? []), name],
      attributes: new Map(parent?.attributes ?? []),
      identification: [],
      expectedRelationships: [...(parent?.expectedRelationships ?? [])],
      redundancy: [...(parent?.redundancy ?? [])],
    };
    let ownRules: IdentificationRule[] | null = null;
    for (const entry of located) {
      addAttributes(cls, entry, problems);
      if (entry.raw.identification !== undefined) {
        const rules = buildRules(cls, entry, relationshipTypes, problems);
        ownRules = entry.raw.extend ? [...(ownRules ?? parent?.identification ?? []), ...rules] : rules;
      }
      addExpected(cls, entry, relationshipTypes, problems);
      addRedundancy(cls, entry, relationshipTypes, problems);
    }
    // A class that declares identification replaces its parent's rules; otherwise it inherits them.
    cls.identification = (ownRules ?? parent?.identification ?? []).map((r, i) => ({ ...r, priority: i + 1 }));
    visiting.delete(name);
    built.set(name, cls);
    return cls;
  };

  if (!entries.has(ROOT)) problems.add('model', 'classes', `the root class '${ROOT}' must be declared`);
  for (const name of entries.keys()) build(name);
  return built;
}

function addAttributes(cls: CiClassDef, { raw, file, where }: Located, problems: ModelProblems): void {
  if (raw.attributes !== undefined && !Array.isArray(raw.attributes)) return problems.add(file, where, 'attributes must be a list');
  (raw.attributes ?? []).forEach((attr, j) => {
    const at = `${where} attributes[${j}] (${attr?.name ?? 'unnamed'})`;
    if (!attr || typeof attr.name !== 'string' || !ATTRIBUTE_NAME.test(attr.name)) {
      return problems.add(file, at, `name must match ${ATTRIBUTE_NAME} (camelCase), got ${JSON.stringify(attr?.name)}`);
    }
    if ((COMMON_FIELDS as readonly string[]).includes(attr.name)) {
      return problems.add(file, at, `'${attr.name}' is a common CI field and cannot be an attribute`);
    }
    if (!ATTRIBUTE_TYPES.includes(attr.type as AttributeType)) {
      return problems.add(file, at, `type must be one of ${ATTRIBUTE_TYPES.join(', ')}, got ${JSON.stringify(attr.type)}`, String(attr.type), ATTRIBUTE_TYPES);
    }
    for (const flag of ['required', 'recommended', 'sensitive'] as const) {
      if (attr[flag] !== undefined && typeof attr[flag] !== 'boolean') return problems.add(file, at, `${flag} must be true or false`);
    }
    const inherited = cls.attributes.get(attr.name);
    if (inherited && inherited.type !== attr.type) {
      return problems.add(file, at, `redeclares '${attr.name}' from ${inherited.declaredBy} with type ${attr.type}; it must keep type ${inherited.type}`);
    }
    if (inherited?.declaredBy === cls.name) return problems.add(file, at, `attribute '${attr.name}' is declared twice`);
    const limits = { ...(inherited?.limits ?? defaultLimits(attr.type as AttributeType)) };
    for (const key of ['maxLength', 'maxItems', 'maxDepth'] as const) {
      const given = attr[key];
      if (given === undefined) continue;
      if (!LIMITS_BY_TYPE[attr.type as AttributeType].includes(key)) return problems.add(file, at, `${key} does not apply to type ${attr.type}`);
      if (!Number.isSafeInteger(given) || given < 1 || given > LIMIT_CEILINGS[key]) {
        return problems.add(file, at, `${key} must be an integer from 1 to ${LIMIT_CEILINGS[key]}, got ${JSON.stringify(given)}`);
      }
      limits[key] = given;
    }
    const def: AttributeDef = {
      name: attr.name,
      type: attr.type as AttributeType,
      required: attr.required ?? inherited?.required ?? false,
      recommended: attr.recommended ?? inherited?.recommended ?? false,
      sensitive: attr.sensitive ?? inherited?.sensitive ?? false,
      description: attr.description ?? inherited?.description ?? null,
      declaredBy: cls.name,
      limits,
    };
    cls.attributes.set(attr.name, def);
  });
}

function checkEdge(
  edge: { type?: string; direction?: string } | undefined,
  relationshipTypes: Map<string, RelationshipTypeDef>,
  report: (problem: string, got?: string, candidates?: Iterable<string>) => void,
): { type: string; direction: EdgeDirection } | null {
  if (!edge || typeof edge.type !== 'string' || !relationshipTypes.has(edge.type)) {
    report(`relationship type ${JSON.stringify(edge?.type)} is not in the catalog`, String(edge?.type), relationshipTypes.keys());
    return null;
  }
  const direction = edge.direction ?? 'OUTGOING';
  if (!DIRECTIONS.includes(direction as EdgeDirection)) {
    report(`direction must be OUTGOING or INCOMING, got ${JSON.stringify(direction)}`);
    return null;
  }
  return { type: edge.type, direction: direction as EdgeDirection };
}

function buildRules(
  cls: CiClassDef,
  { raw, file, where }: Located,
  relationshipTypes: Map<string, RelationshipTypeDef>,
  problems: ModelProblems,
): IdentificationRule[] {
  if (!Array.isArray(raw.identification)) {
    problems.add(file, where, 'identification must be a list of rules');
    return [];
  }
  const rules: IdentificationRule[] = [];
  raw.identification.forEach((rule, j) => {
    const at = `${where} identification[${j}]`;
    const ids = rule?.identifiers;
    if (!Array.isArray(ids) || ids.length === 0) return problems.add(file, at, 'identifiers must be a non-empty list');
    for (const id of ids) {
      if (id !== 'name' && !cls.attributes.has(id)) {
        return problems.add(file, at, `identifier '${id}' is neither 'name' nor an attribute of ${cls.name}`, String(id), cls.attributes.keys());
      }
      const max = cls.attributes.get(id)?.limits.maxLength ?? 0;
      if (max > INDEXED_MAX_LENGTH) {
        return problems.add(file, at, `identifier '${id}' is indexed, so its maxLength must be at most ${INDEXED_MAX_LENGTH}, got ${max}`);
      }
    }
    let relatedVia: IdentificationRule['relatedVia'] = null;
    if (rule.relatedVia !== undefined) {
      relatedVia = checkEdge(rule.relatedVia, relationshipTypes, (p, got, c) => problems.add(file, `${at} relatedVia`, p, got, c));
      if (!relatedVia) return;
    }
    rules.push({ priority: 0, identifiers: [...ids], relatedVia, declaredBy: cls.name });
  });
  return rules;
}

/** Redundancy a new CI of the class starts with (a load balancer's pool, a Kubernetes service's pods); replaces the parent's rule for the same type. */
function addRedundancy(cls: CiClassDef, { raw, file, where }: Located, relationshipTypes: Map<string, RelationshipTypeDef>, problems: ModelProblems): void {
  if (raw.redundancy === undefined) return;
  if (!Array.isArray(raw.redundancy)) return problems.add(file, where, 'redundancy must be a list of { type, quorum }');
  raw.redundancy.forEach((rule, j) => {
    const at = `${where} redundancy[${j}]`;
    if (!rule || typeof rule.type !== 'string' || !relationshipTypes.has(rule.type)) {
      return problems.add(file, at, `type must be a relationship type of the catalog, got ${JSON.stringify(rule?.type)}`, String(rule?.type), relationshipTypes.keys());
    }
    if (!Number.isInteger(rule.quorum) || (rule.quorum as number) < 1) return problems.add(file, at, `quorum must be a whole number of at least 1, got ${JSON.stringify(rule.quorum)}`);
    cls.redundancy = [...cls.redundancy.filter((r) => r.type !== rule.type), { type: rule.type, quorum: rule.quorum as number }];
  });
}

function addExpected(
  cls: CiClassDef,
  { raw, file, where }: Located,
  relationshipTypes: Map<string, RelationshipTypeDef>,
  problems: ModelProblems,
): void {
  (raw.expectedRelationships ?? []).forEach((edge, j) => {
    const checked = checkEdge(edge, relationshipTypes, (p, got, c) => problems.add(file, `${where} expectedRelationships[${j}]`, p, got, c));
    if (!checked) return;
    const exists = cls.expectedRelationships.some((e) => e.type === checked.type && e.direction === checked.direction);
    if (!exists) cls.expectedRelationships.push(checked as ExpectedRelationship);
  });
}
