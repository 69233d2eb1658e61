import { randomUUID } from 'crypto';
import { initialRedundancy } from '../model/class-redundancy';
import { Catalog } from '../model/catalog';
import { StoredValue, validateAttributes } from '../model/attribute-values';
import { IdentificationRule } from '../model/catalog.types';
import { ManagedTransaction } from 'neo4j-driver';
import { identityBuckets, matchRules, ruleKeys } from '../reconcile/identify';
import { ConflictError, FieldError, InputError, NotFoundError } from '../model/field-error';
import { Neo4jClient } from '../graph/client';
import { CiRecord } from '../graph/ci.record';
import { countCis, deleteCiById, findCisByIds, findCisPage, insertCi, CiProperties } from '../graph/ci.queries';
import { loadCiProperties, lockIdentityBuckets, updateCiRows } from '../graph/reconcile.queries';
import { appendChanges, ChangeAuthor, ChangeRow } from '../graph/history.queries';
import { toCiRecord } from '../graph/ci.record';
import { MANUAL_SOURCE } from '../reconcile/sources.types';
import { decodeProvenance, encodeProvenance, ProvenanceMap } from '../model/provenance-codec';
import { deleteRelationship, EdgeRecord, mergeRelationship, RelationshipPage, RelationshipRecord } from '../graph/relationship.queries';
import { CommonFieldsInput, resolveClass, validateCommonFields } from './ci-input';
import { CiListFilterInput, decodeCursor, encodeCursor, toFilterSpec } from './ci-filter';
import { didYouMean } from '../model/suggest';

export interface CreateCiData extends CommonFieldsInput {
  class: string;
  attributes?: Record<string, unknown> | null;
  /** Create it even when its identifiers match an existing CI (two real assets that share them). */
  allowDuplicate?: boolean | null;
}

export interface UpdateCiData extends CommonFieldsInput {
  attributes?: Record<string, unknown> | null;
  /** Keep the change even when the new identifiers match another CI. */
  allowDuplicate?: boolean | null;
}

export interface CiPage {
  /** `relationships`: the page's edges when the caller asked them to be read along (see list). */
  edges: { cursor: string; node: CiRecord; relationships?: RelationshipRecord[] }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  /** Counted only when asked for, so a page without totalCount costs one query. */
  totalCount: () => Promise<number>;
}

export const MAX_PAGE_SIZE = 500;

/** CI reads and manual writes, validated against the catalog before anything reaches the graph. */
export class CiService {
  /** `by`: the principal history names for these manual edits (their provenance source stays `manual`). */
  constructor(
    private readonly client: Neo4jClient,
    private readonly catalog: Catalog,
    private readonly by: ChangeAuthor = { actor: MANUAL_SOURCE, principal: null },
  ) {}

  async get(id: string): Promise<CiRecord> {
    const ci = (await findCisByIds(this.client, this.catalog, [id])).get(id);
    if (!ci) throw new NotFoundError('id', `no CI with id '${id}'`);
    return ci;
  }

  /** `relationships`: also read each CI's edges, in the same statement (one round trip for a page and its edges). */
  /** `fields`: the plain properties the page's CIs need (see findCisPage), or null for whole CIs. */
  async list(filter: CiListFilterInput | null | undefined, first: number, after: string | null | undefined, relationships: RelationshipPage | null = null, fields: readonly string[] | null = null): Promise<CiPage> {
    const errors: FieldError[] = [];
    if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) errors.push({ field: 'first', reason: `must be between 0 and ${MAX_PAGE_SIZE}, got ${first}` });
    const spec = toFilterSpec(this.catalog, filter ?? {}, errors);
    const cursor = after ? decodeCursor(after, errors) : null;
    if (errors.length) throw new InputError(errors);
    const { cis, hasNextPage, relationships: rels } = await findCisPage(this.client, this.catalog, spec, first, cursor, relationships, fields);
    const edges = cis.map((node, i) => ({ cursor: encodeCursor(node), node, ...(rels ? { relationships: rels[i] } : {}) }));
    let total: Promise<number> | undefined;
    return {
      edges,
      pageInfo: {
        hasNextPage,
        hasPreviousPage: cursor !== null,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges[edges.length - 1]?.cursor ?? null,
      },
      totalCount: () => (total ??= countCis(this.client, this.catalog, spec)),
    };
  }

  async create(input: CreateCiData): Promise<CiRecord> {
    const errors: FieldError[] = [];
    const cls = resolveClass(this.catalog, input.class, 'class', errors, true);
    const common = validateCommonFields(input, 'create', errors);
    const attrs = cls ? validateAttributes(cls, input.attributes, 'create', errors) : null;
    if (errors.length || !cls || !attrs) throw new InputError(errors);
    const now = new Date().toISOString();
    const fields: CiProperties = { lifecycleStatus: 'INSTALLED', ...common, ...attrs.set };
    const id = randomUUID();
    const props: CiProperties = {
      ...fields,
      id,
      class: cls.name,
      createdAt: now,
      updatedAt: now,
      _prov: encodeProvenance(manualProvenance({}, Object.keys(fields), [], now, this.by.actor)),
      ...initialRedundancy(cls),
    };
    const changes = [manualChange(this.by, id, now, 'CREATED', null, null, { class: cls.name, name: props.name })];
    return this.client.writeTx(async (tx) => {
      // The identity locks reconcile takes: a batch reporting this asset cannot create it meanwhile, nor can a second createCi.
      await lockIdentityBuckets(this.client, tx, identityBuckets(ruleKeys(this.catalog, cls.name, props, () => undefined)), now);
      if (!input.allowDuplicate) await this.refuseDuplicate(tx, cls.name, props, this.catalog.getClass(cls.name)!.identification);
      return insertCi(this.client, tx, this.catalog, cls.name, props, changes);
    });
  }

  /** CONFLICT when one of these identification rules finds another CI with these identifiers. */
  private async refuseDuplicate(tx: ManagedTransaction, className: string, props: CiProperties, rules: IdentificationRule[], self?: string): Promise<void> {
    const values = Object.fromEntries(Object.entries(props).filter((e): e is [string, StoredValue] => e[1] !== null && e[1] !== undefined));
    const matches = (await matchRules(this.client, tx, this.catalog, rules, values, false))
      .map((m) => ({ ...m, ids: m.ids.filter((id) => id !== self) }))
      .filter((m) => m.ids.length);
    if (!matches.length) return;
    const ids = [...new Set(matches.flatMap((m) => m.ids))];
    const existing = [...(await findCisByIds(this.client, this.catalog, ids.slice(0, 10))).values()].map((c) => ({ id: c.id, name: c.name, class: c.class }));
    const { rule } = matches[0];
    const given = rule.identifiers.map((k) => `${k}=${JSON.stringify(values[k])}`).join(', ');
    throw new ConflictError(
      `attributes.${rule.identifiers[0]}`,
      `${existing.map((c) => `${c.name} (${c.class}, ${c.id})`).join(', ')} already has ${given}, which identifies a ${rule.declaredBy}; ` +
        'update that CI, or pass allowDuplicate: true if this really is another one',
      existing,
    );
  }

  /** Applies a manual edit: read, validate, write and record history in one transaction. */
  async update(id: string, input: UpdateCiData): Promise<CiRecord> {
    return this.client.writeTx(async (tx) => {
      const current = (await loadCiProperties(this.client, tx, [id])).get(id);
      if (!current) throw new NotFoundError('id', `no CI with id '${id}'`);
      const cls = this.catalog.getClass(String(current.class));
      if (!cls) throw new Error(`CI ${id} has class '${current.class}', which the loaded model no longer declares`);
      const errors: FieldError[] = [];
      const common = validateCommonFields(input, 'update', errors);
      const attrs = validateAttributes(cls, input.attributes, 'update', errors, current);
      if (errors.length) throw new InputError(errors);
      const now = new Date().toISOString();
      const wanted: CiProperties = { ...common, ...attrs.set };
      for (const name of attrs.remove) wanted[name] = null;
      const changed = Object.keys(wanted).filter((k) => JSON.stringify(current[k] ?? null) !== JSON.stringify(wanted[k]));
      // An edit that changes identifiers must not turn this CI into another one's duplicate.
      const rules = cls.identification.filter((r) => r.identifiers.some((k) => changed.includes(k)));
      if (rules.length && !input.allowDuplicate) {
        const next = { ...current, ...wanted } as CiProperties;
        await lockIdentityBuckets(this.client, tx, identityBuckets(ruleKeys(this.catalog, cls.name, next, () => undefined)), now);
        await this.refuseDuplicate(tx, cls.name, next, rules, id);
      }
      const prov = manualProvenance(decodeProvenance(current._prov), changed.filter((k) => wanted[k] !== null), changed.filter((k) => wanted[k] === null), now, this.by.actor);
      const set: Record<string, unknown> = { ...Object.fromEntries(changed.map((k) => [k, wanted[k]])), updatedAt: now, _prov: encodeProvenance(prov) };
      await updateCiRows(this.client, tx, [{ id, set }]);
      await appendChanges(this.client, tx, changed.map((k) => manualChange(this.by, id, now, 'UPDATED', k, current[k] ?? null, wanted[k])));
      const after = { ...current, ...set };
      for (const [k, v] of Object.entries(after)) if (v === null) delete after[k];
      return toCiRecord(this.catalog, after);
    });
  }

  async delete(id: string): Promise<{ id: string; deletedRelationships: number }> {
    const deleted = await deleteCiById(this.client, id, this.by, new Date().toISOString());
    if (!deleted) throw new NotFoundError('id', `no CI with id '${id}'`);
    return { id, deletedRelationships: deleted.relationships };
  }

  /** Links two CIs after checking the type exists and allows these two classes. Idempotent. */
  async relate(fromId: string, toId: string, type: string): Promise<EdgeRecord> {
    const { from, to } = await this.checkEdge(fromId, toId, type);
    const rel = this.catalog.getRelationshipType(type)!;
    if (!this.catalog.allowsRelationship(rel, from.class, to.class)) {
      throw new InputError([{
        field: 'type',
        reason: `${type} is not allowed from ${from.class} to ${to.class}; allowed sources: ${rel.sources.join(', ')}; allowed targets: ${rel.targets.join(', ')}`,
      }]);
    }
    const edge = await mergeRelationship(this.client, this.catalog, fromId, toId, type, MANUAL_SOURCE, new Date().toISOString(), this.by);
    if (!edge) throw new NotFoundError('from', `CI '${fromId}' or '${toId}' was deleted meanwhile`);
    return edge;
  }

  /** Removes an edge; false when there was none. */
  async unrelate(fromId: string, toId: string, type: string): Promise<boolean> {
    await this.checkEdge(fromId, toId, type);
    return (await deleteRelationship(this.client, this.catalog, fromId, toId, type, this.by, new Date().toISOString())) > 0;
  }

  /** Relationship types named in a request, checked against the catalog (null means all). */
  checkRelationshipTypes(types: string[] | null | undefined, field: string): string[] | null {
    if (!types || types.length === 0) return null;
    const errors = types
      .filter((t) => !this.catalog.getRelationshipType(t))
      .map((t) => ({ field, reason: `relationship type '${t}' is not in the catalog${didYouMean(t, this.catalog.relationshipTypes.keys())}` }));
    if (errors.length) throw new InputError(errors);
    return [...new Set(types)];
  }

  private async checkEdge(fromId: string, toId: string, type: string): Promise<{ from: CiRecord; to: CiRecord }> {
    const errors: FieldError[] = [];
    if (!this.catalog.getRelationshipType(type)) {
      errors.push({ field: 'type', reason: `relationship type '${type}' is not in the catalog${didYouMean(type, this.catalog.relationshipTypes.keys())}` });
    }
    if (fromId === toId) errors.push({ field: 'to', reason: 'a CI cannot be related to itself' });
    if (errors.length) throw new InputError(errors);
    const found = await findCisByIds(this.client, this.catalog, [fromId, toId]);
    const from = found.get(fromId);
    const to = found.get(toId);
    if (!from) throw new NotFoundError('from', `no CI with id '${fromId}'`);
    if (!to) throw new NotFoundError('to', `no CI with id '${toId}'`);
    return { from, to };
  }
}

/** Manual edits always win and become the value's provenance. */
function manualProvenance(prov: ProvenanceMap, set: string[], removed: string[], now: string, actor: string): ProvenanceMap {
  const next = { ...prov };
  for (const field of set) next[field] = { source: MANUAL_SOURCE, firstSetAt: now, lastConfirmedAt: now, runId: null, ...(actor !== MANUAL_SOURCE ? { actor } : {}) };
  for (const field of removed) delete next[field];
  return next;
}

function manualChange(by: ChangeAuthor, ciId: string, at: string, kind: ChangeRow['kind'], field: string | null, oldValue: unknown, newValue: unknown): ChangeRow {
  const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
  return { id: randomUUID(), ciId, at, kind, ...by, runId: null, field, oldValue: json(oldValue), newValue: json(newValue), relType: null, otherId: null };
}
