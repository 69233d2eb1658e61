import { Catalog } from '../model/catalog';
import { StoredValue } from '../model/attribute-values';
import { DataSource } from './sources.types';
import { PrecedenceRuleRecord } from '../graph/source.queries';

import { ProvenanceMap } from '../model/provenance-codec';

export type { Provenance, ProvenanceMap } from '../model/provenance-codec';

export interface FieldChange {
  field: string;
  oldValue: unknown;
  newValue: unknown;
  /** Why this source's value won. */
  reason: string;
}

export interface KeptValue {
  field: string;
  offered: unknown;
  kept: unknown;
  heldBy: string;
  reason: string;
}

const HOUR = 3_600_000;
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Ranks sources per class and field: precedence rules first (most specific class wins), then source priority. */
export class SourceRanking {
  private readonly sources: Map<string, DataSource>;
  private readonly rules = new Map<string, string[]>();

  constructor(private readonly catalog: Catalog, sources: DataSource[], rules: PrecedenceRuleRecord[]) {
    this.sources = new Map(sources.map((s) => [s.name, s]));
    for (const rule of rules) this.rules.set(`${rule.class}.${rule.attribute}`, rule.sources);
  }

  source(name: string): DataSource | undefined {
    return this.sources.get(name);
  }

  /** Lower is stronger. Sources a rule does not list rank after those it does, by priority. */
  rank(className: string, field: string, source: string): number {
    const priority = this.sources.get(source)?.priority ?? Number.MAX_SAFE_INTEGER / 2;
    const ancestry = this.catalog.getClass(className)?.ancestry ?? [];
    for (let i = ancestry.length - 1; i >= 0; i--) {
      const order = this.rules.get(`${ancestry[i]}.${field}`) ?? this.rules.get(`${ancestry[i]}.*`);
      if (order) {
        const index = order.indexOf(source);
        return index >= 0 ? index : order.length + priority;
      }
    }
    return priority;
  }

  stalenessMs(source: string): number {
    return (this.sources.get(source)?.stalenessHours ?? 0) * HOUR;
  }
}

export interface PrecedenceOutcome {
  /** Property changes to write (null removes). */
  set: Record<string, StoredValue | null>;
  provenance: ProvenanceMap;
  changes: FieldChange[];
  kept: KeptValue[];
  /** True when provenance changed even if no value did (a confirmation or a take-over). */
  provenanceChanged: boolean;
}

/**
 * Decides, field by field, whether `source` may write its value: the same or a stronger source
 * always may; a weaker source only when the holder's value is older than the holder's staleness
 * window (data refresh rule). Values keep their provenance.
 */
export function applyPrecedence(args: {
  className: string;
  current: Record<string, unknown>;
  provenance: ProvenanceMap;
  incoming: Record<string, StoredValue | null>;
  source: string;
  runId: string | null;
  now: string;
  ranking: SourceRanking;
}): PrecedenceOutcome {
  const { className, current, incoming, source, runId, now, ranking } = args;
  const provenance: ProvenanceMap = { ...args.provenance };
  const out: PrecedenceOutcome = { set: {}, provenance, changes: [], kept: [], provenanceChanged: false };
  const nowMs = Date.parse(now);
  for (const [field, value] of Object.entries(incoming)) {
    const old = current[field] ?? null;
    const holder = provenance[field];
    let reason: string | null;
    if (!holder || old === null) reason = holder ? `no current value` : old === null ? 'new value' : 'value had no recorded source';
    else if (holder.source === source) reason = `same source '${source}'`;
    else {
      const mine = ranking.rank(className, field, source);
      const theirs = ranking.rank(className, field, holder.source);
      const age = nowMs - Date.parse(holder.lastConfirmedAt);
      const window = ranking.stalenessMs(holder.source);
      if (mine <= theirs) reason = `'${source}' ranks ${mine < theirs ? 'above' : 'equal to'} '${holder.source}'`;
      else if (age > window) reason = `'${holder.source}' ranks higher but its value is stale (last confirmed ${holder.lastConfirmedAt}, window ${window / HOUR}h)`;
      else {
        if (!same(old, value)) {
          out.kept.push({ field, offered: value, kept: old, heldBy: holder.source, reason: `'${holder.source}' ranks above '${source}' and confirmed it at ${holder.lastConfirmedAt} (within ${window / HOUR}h)` });
        }
        reason = null;
      }
    }
    if (reason === null) continue;
    if (value === null) {
      if (old !== null) {
        out.set[field] = null;
        out.changes.push({ field, oldValue: old, newValue: null, reason });
      }
      if (holder) {
        delete provenance[field];
        out.provenanceChanged = true;
      }
      continue;
    }
    const changed = !same(old, value);
    if (changed) {
      out.set[field] = value;
      out.changes.push({ field, oldValue: old, newValue: value, reason });
    }
    provenance[field] = {
      source,
      firstSetAt: changed || !holder ? now : holder.firstSetAt,
      lastConfirmedAt: now,
      runId,
    };
    out.provenanceChanged = true;
  }
  return out;
}
