/**
 * Event ingestion: each event is bound to a CI by the binding rules (or the CI the caller names), its severity
 * becomes the state it puts its CI in, and it is stored once per source and fingerprint: seen again it updates
 * the one alert, `resolved` closes it. Events no rule binds are kept, with the reason, and listed.
 */
import { Catalog } from '../model/catalog';
import { Neo4jClient } from '../graph/client';
import { AlertRow, AlertWrite, existingCiIds, findForRule, unboundAlerts, upsertAlerts } from '../graph/alert.queries';
import { BindingRule, EventBinding, OperationalState, stripPort } from './binding-rules';
import { EventInput, IngestResult } from './event.types';

/** At most this many events per call (an Alertmanager group is far smaller). */
export const MAX_EVENTS = 1000;

export class EventService {
  constructor(private readonly client: Neo4jClient, private readonly catalog: Catalog, private readonly binding: EventBinding) {}

  stateOf(severity: string | null): Exclude<OperationalState, 'IN_MAINTENANCE'> {
    return (severity && this.binding.states[severity.toLowerCase()]) || this.binding.defaultState;
  }

  async ingest(events: EventInput[]): Promise<IngestResult> {
    const rows: AlertWrite[] = [];
    const named = new Set(await existingCiIds(this.client, events.map((e) => e.ciId).filter((id): id is string => !!id)));
    for (const e of events) {
      const bound = e.ciId
        ? (named.has(e.ciId) ? { ciId: e.ciId, rule: 'ciId', reason: null } : { ciId: null, rule: null, reason: `no CI has the id '${e.ciId}' its sender named` })
        : await this.bind(e.labels);
      rows.push({
        key: `${e.source}|${e.fingerprint}`, source: e.source, fingerprint: e.fingerprint, status: e.status, state: this.stateOf(e.severity),
        severity: e.severity, summary: e.summary, labels: JSON.stringify(e.labels), annotations: JSON.stringify(e.annotations),
        startsAt: e.startsAt, endsAt: e.endsAt, generatorUrl: e.generatorUrl, boundBy: bound.ciId ? bound.rule : null, unboundReason: bound.reason, ciId: bound.ciId,
      });
    }
    // The same alert twice in one payload: the last report wins.
    const unique = [...new Map(rows.map((r) => [r.key, r])).values()];
    const outcome = unique.length ? await upsertAlerts(this.client, unique, new Date().toISOString()) : new Map();
    let created = 0;
    let resolved = 0;
    for (const r of unique) {
      const o = outcome.get(r.key);
      if (o?.created) created++;
      if (r.status === 'RESOLVED' && o?.before !== 'RESOLVED') resolved++;
    }
    const bound = unique.filter((r) => r.ciId).length;
    return { received: events.length, created, updated: unique.length - created, resolved, bound, unbound: unique.length - bound };
  }

  unbound(first: number, open: boolean | null): Promise<AlertRow[]> {
    return unboundAlerts(this.client, first, open);
  }

  /** The first rule that finds exactly one CI; otherwise why none did. */
  private async bind(labels: Record<string, string>): Promise<{ ciId: string | null; rule: string | null; reason: string | null }> {
    const reasons: string[] = [];
    for (const rule of this.binding.rules) {
      const raw = labels[rule.label];
      if (raw === undefined || raw === '') continue;
      const value = rule.stripPort ? stripPort(raw) : raw;
      const within = rule.within ? labels[rule.within.label] ?? null : null;
      const found = await findForRule(this.client, this.catalog, rule, value, within);
      if (found.length === 1) return { ciId: found[0], rule: rule.name, reason: null };
      reasons.push(`${rule.name}: ${found.length ? `${found.length >= 5 ? '5 or more' : found.length} CIs match` : 'no CI matches'} ${rule.label}=${JSON.stringify(value)}${describeWithin(rule, within)}`);
    }
    const reason = reasons.length ? reasons.join('; ') : `no binding rule applies to its labels (${Object.keys(labels).sort().join(', ') || 'none'})`;
    return { ciId: null, rule: null, reason };
  }
}

const describeWithin = (rule: BindingRule, within: string | null) => (rule.within && within ? ` in ${rule.within.class} ${JSON.stringify(within)}` : '');
