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
import { EventBus, TOPICS } from './event-bus';

/** At most this many events per call (an Alertmanager group is far smaller). */
export const MAX_EVENTS = 1000;

export class EventService {
  constructor(private readonly client: Neo4jClient, private readonly catalog: Catalog, private readonly binding: EventBinding, private readonly bus: EventBus | null = null) {}

  stateOf(severity: string | null): Exclude<OperationalState, 'IN_MAINTENANCE'> {
    return (severity && this.binding.states[severity.toLowerCase()]) || this.binding.defaultState;
  }

  async ingest(events: EventInput[]): Promise<IngestResult> {
    const named = new Set(await existingCiIds(this.client, events.map((e) => e.ciId).filter((id): id is string => !!id)));
    const bindings = await this.bind(events.map((e) => (e.ciId ? null : e.labels)));
    const rows: AlertWrite[] = events.map((e, i) => {
      const bound = e.ciId
        ? (named.has(e.ciId) ? { ciId: e.ciId, rule: 'ciId', reason: null } : { ciId: null, rule: null, reason: `no CI has the id '${e.ciId}' its sender named` })
        : bindings[i];
      return {
        key: `${e.source}|${e.fingerprint}`, source: e.source, fingerprint: e.fingerprint, status: e.status, state: this.stateOf(e.severity),
        severity: e.severity, summary: e.summary, labels: JSON.stringify(e.labels), annotations: JSON.stringify(e.annotations),
        startsAt: e.startsAt, endsAt: e.endsAt, generatorUrl: e.generatorUrl, boundBy: bound.ciId ? bound.rule : null, unboundReason: bound.reason, ciId: bound.ciId,
      };
    });
    // The same alert twice in one payload: the last report wins.
    const unique = [...new Map(rows.map((r) => [r.key, r])).values()];
    const now = new Date().toISOString();
    const outcome = unique.length ? await upsertAlerts(this.client, unique, now) : new Map();
    for (const r of unique) {
      this.bus?.shared.publish(TOPICS.ALERT_RECEIVED, { source: r.source, fingerprint: r.fingerprint, status: r.status, state: r.state, severity: r.severity, summary: r.summary, ciId: r.ciId, at: now });
    }
    // Alertmanager re-sends firing alerts every group interval: only a change of status, state or CI is news.
    const changed = unique.filter((r) => {
      const o = outcome.get(r.key);
      return !o || o.created || o.before !== r.status || o.beforeState !== r.state || o.previousCiId !== r.ciId;
    });
    const touched = [...new Set(changed.flatMap((r) => [r.ciId, outcome.get(r.key)?.previousCiId ?? null]).filter((id): id is string => !!id))];
    if (touched.length) this.bus?.local.publish(TOPICS.ALERTS_STORED, touched);
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

  /**
   * Binds every event (null: bound by its sender) by the rules in order: an event takes the first rule that finds
   * exactly one CI, else it records why none did. One query per rule for the whole batch, whatever its size.
   */
  private async bind(labelSets: (Record<string, string> | null)[]): Promise<{ ciId: string | null; rule: string | null; reason: string | null }[]> {
    const result = labelSets.map(() => ({ ciId: null as string | null, rule: null as string | null, reason: null as string | null }));
    const reasons: string[][] = labelSets.map(() => []);
    let open = labelSets.map((l, i) => (l ? i : -1)).filter((i) => i >= 0);
    for (const rule of this.binding.rules) {
      const asked = open.filter((i) => labelSets[i]![rule.label]);
      if (!asked.length) continue;
      const lookups = asked.map((i) => {
        const raw = labelSets[i]![rule.label];
        return { value: rule.stripPort ? stripPort(raw) : raw, within: rule.within ? labelSets[i]![rule.within.label] ?? null : null };
      });
      const found = await findForRule(this.client, this.catalog, rule, lookups);
      asked.forEach((i, k) => {
        const ids = found[k];
        if (ids.length === 1) result[i] = { ciId: ids[0], rule: rule.name, reason: null };
        else reasons[i].push(`${rule.name}: ${ids.length ? `${ids.length >= 5 ? '5 or more' : ids.length} CIs match` : 'no CI matches'} ${rule.label}=${JSON.stringify(lookups[k].value)}${describeWithin(rule, lookups[k].within)}`);
      });
      open = open.filter((i) => !result[i].ciId);
      if (!open.length) break;
    }
    for (const i of open) {
      result[i].reason = reasons[i].length ? reasons[i].join('; ') : `no binding rule applies to its labels (${Object.keys(labelSets[i]!).sort().join(', ') || 'none'})`;
    }
    return result;
  }
}

const describeWithin = (rule: BindingRule, within: string | null) => (rule.within && within ? ` in ${rule.within.class} ${JSON.stringify(within)}` : '');
