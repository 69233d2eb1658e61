import { ManagedTransaction } from 'neo4j-driver';
import { Catalog } from '../model/catalog';
import { IdentificationRule } from '../model/catalog.types';
import { StoredValue } from '../model/attribute-values';
import { Neo4jClient } from '../graph/client';
import { findByIdentifierGroups, findByIdentifiers, findByLookups, findByNativeKeys, IdentifierQuery, LOCK_BUCKETS } from '../graph/reconcile.queries';
import { PreparedItem, ReconcileRelationshipInput } from './reconcile.types';

/** Where identification left an item. */
export type Identity =
  | { kind: 'matched'; ciId: string }
  | { kind: 'new' }
  | { kind: 'multi'; candidates: string[] };

interface Pending {
  item: PreparedItem;
  rules: IdentificationRule[];
  next: number;
}

/** A rule as a round plans it for an item: decided without the graph, or asked in a query group. */
interface PlannedRule {
  rule: IdentificationRule;
  decided?: 'SKIPPED' | 'NO_MATCH';
  group?: string;
}

const ruleName = (r: IdentificationRule) => `${r.identifiers.join('+')}${r.relatedVia ? `@${r.relatedVia.type}` : ''}`;

export const nativeKey = (source: string, key: string) => `${source}|${key}`;

const edgeIndexes = new WeakMap<ReconcileRelationshipInput[], Map<string, string>>();

/** The CI a dependent rule is relative to: an edge of the rule's type in the payload, from or to this item. */
function relatedEnd(item: PreparedItem, rule: IdentificationRule, relationships: ReconcileRelationshipInput[]): string | undefined {
  let index = edgeIndexes.get(relationships);
  if (!index) {
    // First edge wins, keyed by end, type and direction: one pass instead of a scan per item.
    index = new Map();
    for (const r of relationships) {
      if (!r) continue;
      const out = `${r.from}|${r.type}|OUTGOING`;
      const inc = `${r.to}|${r.type}|INCOMING`;
      if (!index.has(out)) index.set(out, r.to);
      if (!index.has(inc)) index.set(inc, r.from);
    }
    edgeIndexes.set(relationships, index);
  }
  const via = rule.relatedVia!;
  return index.get(`${item.input.ref}|${via.type}|${via.direction}`);
}

/**
 * Identifies every prepared item, in priority order: the source's native key seen before, then
 * each identification rule of its class, then lookup records. Dependent rules wait until the
 * related payload item is identified. Each round costs one query per distinct rule, never one per item.
 */
export async function identifyItems(
  client: Neo4jClient, tx: ManagedTransaction, catalog: Catalog, source: string,
  items: PreparedItem[], relationships: ReconcileRelationshipInput[],
): Promise<Map<string, Identity>> {
  const identities = new Map<string, Identity>();
  const byRef = new Map(items.map((i) => [i.input.ref, i]));

  const withKeys = items.filter((i) => i.input.sourceNativeKey);
  const native = await findByNativeKeys(client, tx, withKeys.map((i) => ({ ref: i.input.ref, nkey: nativeKey(source, i.input.sourceNativeKey!) })));
  let pending: Pending[] = [];
  for (const item of items) {
    if (item.input.sourceNativeKey) {
      const id = native.get(item.input.ref);
      item.result.identification.push({ rule: 'sourceNativeKey', status: id ? 'MATCHED' : 'NO_MATCH', candidates: id ? [id] : [] });
      if (id) {
        identities.set(item.input.ref, { kind: 'matched', ciId: id });
        continue;
      }
    }
    pending.push({ item, rules: catalog.getClass(item.className)!.identification, next: 0 });
  }

  while (pending.length) {
    // Each round asks, in one statement, every rule an item may still need, up to a dependent rule whose related
    // item is not identified yet: later rules' answers are used only if the earlier ones found nothing, so the
    // outcome is the rule-by-rule one, without a round trip per rule.
    const groups = new Map<string, IdentifierQuery>();
    const plans: { p: Pending; steps: PlannedRule[]; waitsAt: number | null }[] = [];
    for (const p of pending) {
      const steps: PlannedRule[] = [];
      let waitsAt: number | null = null;
      for (let k = p.next; k < p.rules.length && waitsAt === null; k++) {
        const rule = p.rules[k];
        const values = rule.identifiers.map((id) => p.item.values[id]);
        if (values.some((v) => v === undefined || v === null)) {
          steps.push({ rule, decided: 'SKIPPED' });
          continue;
        }
        let relatedId: string | undefined;
        if (rule.relatedVia) {
          const end = relatedEnd(p.item, rule, relationships);
          const endItem = end !== undefined ? byRef.get(end) : undefined;
          const endIdentity = endItem ? identities.get(end!) : undefined;
          if (end === undefined || (endItem && endItem.result.errors.length)) {
            steps.push({ rule, decided: 'SKIPPED' });
            continue;
          }
          if (endItem && !endIdentity) {
            waitsAt = k;
            continue;
          }
          if (endIdentity && endIdentity.kind !== 'matched') {
            // The related CI is new (or unresolved): nothing existing can be related to it yet.
            steps.push({ rule, decided: 'NO_MATCH' });
            continue;
          }
          relatedId = endIdentity ? endIdentity.ciId : end;
        }
        const key = `${rule.declaredBy}|${ruleName(rule)}`;
        const group = groups.get(key) ?? { label: rule.declaredBy, identifiers: rule.identifiers, relatedVia: rule.relatedVia, rows: [] };
        // One row per item and rule: a related rule's row differs per item, and the group is keyed by rule.
        group.rows.push({ ref: p.item.input.ref, values: values as StoredValue[], relatedId });
        groups.set(key, group);
        steps.push({ rule, group: key });
      }
      plans.push({ p, steps, waitsAt });
    }

    const keys = [...groups.keys()];
    const answers = await findByIdentifierGroups(client, tx, catalog, [...groups.values()]);
    const found = new Map(keys.map((k, i) => [k, answers[i]]));
    const waiting: Pending[] = [];
    const exhausted: Pending[] = [];
    for (const { p, steps, waitsAt } of plans) {
      const ref = p.item.input.ref;
      for (const step of steps) {
        const rule = ruleName(step.rule);
        if (step.decided) {
          p.item.result.identification.push({ rule, status: step.decided, candidates: [] });
          continue;
        }
        const ids = found.get(step.group!)?.get(ref) ?? [];
        if (ids.length === 1) {
          p.item.result.identification.push({ rule, status: 'MATCHED', candidates: ids });
          identities.set(ref, { kind: 'matched', ciId: ids[0] });
          break;
        } else if (ids.length > 1) {
          p.item.result.identification.push({ rule, status: 'MULTI_MATCH', candidates: ids.sort() });
          identities.set(ref, { kind: 'multi', candidates: ids });
          break;
        }
        p.item.result.identification.push({ rule, status: 'NO_MATCH', candidates: [] });
      }
      if (identities.has(ref)) continue;
      if (waitsAt === null) {
        exhausted.push(p);
      } else {
        p.next = waitsAt;
        waiting.push(p);
      }
    }
    await identifyByLookups(client, tx, catalog, exhausted, identities);
    // Items waiting on an item that can no longer resolve (a cycle) give up on that rule.
    if (groups.size === 0 && exhausted.length === 0 && waiting.length) {
      for (const p of waiting) {
        p.item.result.identification.push({ rule: ruleName(p.rules[p.next]), status: 'SKIPPED', candidates: [] });
        p.next++;
      }
    }
    pending = waiting;
  }
  return identities;
}

/** Last resort: a related CI named in `lookup` (e.g. a network interface by MAC) points to the item's CI. */
async function identifyByLookups(client: Neo4jClient, tx: ManagedTransaction, catalog: Catalog, exhausted: Pending[], identities: Map<string, Identity>): Promise<void> {
  const groups = new Map<string, { label: string; lookupLabel: string; identifiers: string[]; rows: { ref: string; values: StoredValue[] }[] }>();
  const attempts = new Map<string, string>();
  for (const p of exhausted) {
    for (const lookup of p.item.lookups) {
      const rule = catalog.getClass(lookup.className)!.identification.find((r) => !r.relatedVia && r.identifiers.every((id) => lookup.values[id] !== undefined))!;
      const label = p.rules[0]?.declaredBy ?? p.item.className;
      const key = `${label}|${lookup.className}|${rule.identifiers.join('+')}`;
      const group = groups.get(key) ?? { label, lookupLabel: lookup.className, identifiers: rule.identifiers, rows: [] };
      group.rows.push({ ref: p.item.input.ref, values: rule.identifiers.map((id) => lookup.values[id]) });
      groups.set(key, group);
      attempts.set(p.item.input.ref, `lookup:${lookup.className}`);
    }
  }
  const found = new Map<string, Set<string>>();
  for (const group of groups.values()) {
    for (const [ref, ids] of await findByLookups(client, tx, catalog, group)) {
      const set = found.get(ref) ?? new Set<string>();
      ids.forEach((id) => set.add(id));
      found.set(ref, set);
    }
  }
  for (const p of exhausted) {
    const ref = p.item.input.ref;
    if (!attempts.has(ref)) {
      identities.set(ref, { kind: 'new' });
      continue;
    }
    const ids = [...(found.get(ref) ?? [])].sort();
    const status = ids.length === 1 ? 'MATCHED' : ids.length > 1 ? 'MULTI_MATCH' : 'NO_MATCH';
    p.item.result.identification.push({ rule: attempts.get(ref)!, status, candidates: ids });
    identities.set(ref, ids.length === 1 ? { kind: 'matched', ciId: ids[0] } : ids.length > 1 ? { kind: 'multi', candidates: ids } : { kind: 'new' });
  }
}

/** Identity keys of an item, used to merge new items of one payload that describe the same asset, and to pick lock buckets. */
export function identityKeys(catalog: Catalog, source: string, item: PreparedItem, relatedKey: (rule: IdentificationRule) => string | undefined): string[] {
  const keys = item.input.sourceNativeKey ? [`nk|${nativeKey(source, item.input.sourceNativeKey)}`] : [];
  return [...keys, ...ruleKeys(catalog, item.className, item.values, relatedKey)];
}

/** One key per identification rule the values fill; CIs that may be the same share one. */
export function ruleKeys(
  catalog: Catalog, className: string, values: Record<string, unknown>, relatedKey: (rule: IdentificationRule) => string | undefined,
): string[] {
  const keys: string[] = [];
  for (const rule of catalog.getClass(className)?.identification ?? []) {
    const vals = rule.identifiers.map((id) => values[id]);
    if (vals.some((v) => v === undefined || v === null)) continue;
    const related = rule.relatedVia ? relatedKey(rule) : '';
    if (related === undefined) continue;
    keys.push(`${rule.declaredBy}|${ruleName(rule)}|${JSON.stringify(vals)}|${related}`);
  }
  return keys;
}

/** Lock buckets of identity keys, ascending (the order every writer takes them in, so none deadlock). */
export function identityBuckets(keys: string[]): number[] {
  const bucketOf = (key: string) => {
    let h = 2166136261;
    for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
    return (h >>> 0) % LOCK_BUCKETS;
  };
  return [...new Set(keys.map(bucketOf))].sort((a, b) => a - b);
}

/**
 * The CIs each independent rule finds for these values (rules whose identifiers are all given, in the order
 * passed). With `firstMatch`, stops at the first rule that finds any, as reconcile decides.
 */
export async function matchRules(
  client: Neo4jClient, tx: ManagedTransaction, catalog: Catalog, rules: IdentificationRule[], values: Record<string, StoredValue>, firstMatch: boolean,
): Promise<{ rule: IdentificationRule; ids: string[] }[]> {
  const out: { rule: IdentificationRule; ids: string[] }[] = [];
  for (const rule of rules) {
    if (rule.relatedVia || rule.identifiers.some((id) => values[id] === undefined || values[id] === null)) continue;
    const q = { label: rule.declaredBy, identifiers: rule.identifiers, relatedVia: null, rows: [{ ref: 'r', values: rule.identifiers.map((id) => values[id]) }] };
    const ids = (await findByIdentifiers(client, tx, catalog, q)).get('r') ?? [];
    if (ids.length) out.push({ rule, ids });
    if (firstMatch && ids.length) break;
  }
  return out;
}

export { relatedEnd };
