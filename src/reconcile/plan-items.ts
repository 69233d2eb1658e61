import { randomUUID } from 'crypto';
import { Catalog } from '../model/catalog';
import { StoredValue } from '../model/attribute-values';
import { ChangeRow } from '../graph/history.queries';
import { applyPrecedence, SourceRanking } from './precedence';
import { decodeProvenance, encodeProvenance } from '../model/provenance-codec';
import { Identity } from './identify';
import { PreparedItem } from './reconcile.types';
import { initialRedundancy } from '../model/class-redundancy';

/** Writes a batch needs, computed in memory from the identified items and the CIs' current state. */
export interface ItemPlan {
  creates: Map<string, Record<string, unknown>[]>;
  updates: Map<string, Record<string, unknown>>;
  reclassify: Map<string, string[]>;
  changes: ChangeRow[];
  /** Final class of each touched CI (for relationship endpoint checks). */
  classOf: Map<string, string>;
  /** CIs this batch creates: their records and edges cannot exist yet, so they are created, not merged. */
  createdIds: Set<string>;
}

const DEFAULT_NAME_FIELDS = ['name', 'hostname', 'fqdn', 'address', 'macAddress', 'uid', 'clusterId', 'volumeId', 'instanceName', 'serialNumber', 'vip', 'vpcId', 'subnetId', 'cloudInstanceId', 'cloudResourceId', 'accountId'];


const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));

export interface PlanContext {
  catalog: Catalog;
  ranking: SourceRanking;
  source: string;
  runId: string | null;
  now: string;
  dryRun: boolean;
  /** The caller whose request this is (history names it beside the source); null for in-process work. */
  principal: string | null;
}

/**
 * Applies each identified item, in payload order, to the in-memory state of its CI: precedence per
 * field, stale revival, reclassification, or a new CI. Several items reaching one CI merge in order.
 */
export function planItems(
  ctx: PlanContext, items: PreparedItem[], identities: Map<string, Identity>, state: Map<string, Record<string, unknown>>,
  keysOf: (item: PreparedItem) => string[],
): ItemPlan {
  const plan: ItemPlan = { creates: new Map(), updates: new Map(), reclassify: new Map(), changes: [], classOf: new Map(), createdIds: new Set() };
  /** New CI id -> ref of the item that creates it. */
  const created = new Map<string, string>();
  /** Identity keys of the new CIs, so a later item of the same payload describing the same asset merges into it. */
  const newByKey = new Map<string, string>();
  const history = (ciId: string, field: string | null, kind: ChangeRow['kind'], oldValue: unknown, newValue: unknown) =>
    plan.changes.push({ id: randomUUID(), ciId, at: ctx.now, kind, actor: ctx.source, principal: ctx.principal, runId: ctx.runId, field, oldValue: json(oldValue), newValue: json(newValue), relType: null, otherId: null });

  for (const item of items) {
    const identity = identities.get(item.input.ref);
    if (item.result.errors.length || !identity) continue;
    if (identity.kind === 'multi') {
      item.result.errors.push({ field: `items[${item.index}]`, reason: `matches ${identity.candidates.length} CIs (${identity.candidates.join(', ')}); not merged, recorded as a duplicate` });
      continue;
    }
    let ciId = identity.kind === 'matched' ? identity.ciId : null;
    const keys = identity.kind === 'new' ? keysOf(item) : [];
    if (!ciId) {
      const earlier = keys.map((k) => newByKey.get(k)).find((id) => id !== undefined);
      if (earlier) {
        ciId = earlier;
        item.result.identification.push({ rule: 'samePayload', status: 'MATCHED', candidates: ctx.dryRun ? [] : [earlier] });
      }
    }
    let current = ciId ? state.get(ciId) : undefined;
    if (ciId && !current) {
      item.result.errors.push({ field: `items[${item.index}]`, reason: `matched CI ${ciId} could not be loaded` });
      continue;
    }
    if (current && identity.kind === 'matched' && item.result.identification[0]?.rule === 'sourceNativeKey' && item.result.identification[0].status === 'MATCHED') {
      const conflicts = identityConflicts(ctx.catalog, item, current);
      if (conflicts.length) {
        for (const c of conflicts) {
          item.result.errors.push({
            field: `items[${item.index}].attributes.${c.attribute}`,
            reason: `identity conflict: sourceNativeKey '${String(item.input.sourceNativeKey).slice(0, 80)}' belongs to CI ${ciId}, whose ${c.attribute} is ${JSON.stringify(c.stored)}; this item says ${JSON.stringify(c.offered)}. Nothing was overwritten: if the source reused the key for another asset, send it under a new key`,
          });
        }
        continue;
      }
    }
    if (!current) {
      const cls = ctx.catalog.getClass(item.className)!;
      const missing = [...cls.attributes.values()].filter((a) => a.required && (item.values[a.name] === undefined || item.values[a.name] === null));
      if (missing.length) {
        for (const a of missing) item.result.errors.push({ field: `items[${item.index}].attributes.${a.name}`, reason: `is required by class ${cls.name} to create a CI` });
        continue;
      }
      ciId = randomUUID();
      const nameField = DEFAULT_NAME_FIELDS.find((f) => typeof item.values[f] === 'string');
      current = { id: ciId, class: cls.name, name: nameField ? item.values[nameField] : item.input.ref, lifecycleStatus: 'INSTALLED', createdAt: ctx.now, updatedAt: ctx.now, ...initialRedundancy(cls) };
      state.set(ciId, current);
      created.set(ciId, item.input.ref);
    }
    for (const key of keys) if (!newByKey.has(key)) newByKey.set(key, ciId!);
    const className = String(current.class);
    const outcome = applyPrecedence({
      className,
      current,
      provenance: decodeProvenance(current._prov),
      incoming: item.values,
      source: ctx.source,
      runId: ctx.runId,
      now: ctx.now,
      ranking: ctx.ranking,
    });
    const set: Record<string, unknown> = { ...outcome.set };
    const changes = [...outcome.changes];
    if (className !== item.className && ctx.catalog.isA(item.className, className)) {
      changes.push({ field: 'class', oldValue: className, newValue: item.className, reason: `'${ctx.source}' reports the more specific class ${item.className}` });
      set.class = item.className;
    }
    if (!created.has(ciId!) && current.staleSince) {
      const restored = (current.statusBeforeStale as string) ?? 'IN_USE';
      changes.push({ field: 'lifecycleStatus', oldValue: current.lifecycleStatus, newValue: restored, reason: `reported again by '${ctx.source}' after being stale since ${current.staleSince}` });
      Object.assign(set, { lifecycleStatus: restored, staleSince: null, statusBeforeStale: null });
    }
    item.result.ciId = ctx.dryRun && created.has(ciId!) ? null : ciId;
    item.result.changes.push(...changes);
    item.result.kept.push(...outcome.kept);
    item.result.operation = created.get(ciId!) === item.input.ref ? 'CREATED' : changes.length ? 'UPDATED' : 'NO_CHANGE';

    const touched = changes.length > 0 || outcome.provenanceChanged;
    Object.assign(current, set, { _prov: encodeProvenance(outcome.provenance) });
    if (touched && !created.has(ciId!)) current.updatedAt = ctx.now;
    for (const [k, v] of Object.entries(current)) if (v === null) delete current[k];
    plan.classOf.set(ciId!, String(current.class));

    if (created.has(ciId!)) continue; // written whole below
    if (set.class) plan.reclassify.set(String(set.class), [...(plan.reclassify.get(String(set.class)) ?? []), ciId!]);
    if (touched) {
      const row = plan.updates.get(ciId!) ?? {};
      plan.updates.set(ciId!, Object.assign(row, set, { _prov: current._prov, updatedAt: current.updatedAt }));
      for (const c of changes) history(ciId!, c.field, 'UPDATED', c.oldValue, c.newValue);
    }
  }
  for (const ciId of created.keys()) {
    plan.createdIds.add(ciId);
    const props = state.get(ciId)!;
    const list = plan.creates.get(String(props.class)) ?? [];
    list.push(props);
    plan.creates.set(String(props.class), list);
    // Class and name only: the first values are the CI's own, less later changes (asOf shows them).
    history(ciId, null, 'CREATED', null, { class: props.class, name: props.name });
  }
  return plan;
}

export type { StoredValue };

/**
 * A native key that arrives with a strong identifier (a single-attribute, independent rule such as serialNumber or
 * vmUuid, never the name) different from the one its CI holds names another asset: the source reused the key.
 */
function identityConflicts(catalog: Catalog, item: PreparedItem, current: Record<string, unknown>): { attribute: string; stored: unknown; offered: unknown }[] {
  const cls = catalog.getClass(item.className);
  if (!cls) return [];
  const strong = new Set(cls.identification.filter((r) => r.identifiers.length === 1 && !r.relatedVia && r.identifiers[0] !== 'name').map((r) => r.identifiers[0]));
  return [...strong].flatMap((attribute) => {
    const offered = item.values[attribute];
    const stored = current[attribute];
    if (offered === undefined || offered === null || stored === undefined || stored === null) return [];
    return JSON.stringify(offered) === JSON.stringify(stored) ? [] : [{ attribute, stored, offered }];
  });
}
