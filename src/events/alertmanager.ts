/**
 * Prometheus Alertmanager's webhook payload (version 4) as it sends it, read into events: one per alert, keyed by
 * its fingerprint (computed from the labels, as Alertmanager does, when an older Alertmanager omits it). A
 * malformed payload is refused whole, naming each bad field.
 */
import { createHash } from 'crypto';
import { FieldError } from '../model/field-error';
import { EventInput } from './event.types';

type Raw = Record<string, any>;
const strings = (v: unknown): v is Record<string, string> => !!v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');
/** Alertmanager's "no end yet". */
const ZERO_TIME = /^0001-01-01T00:00:00/;

/** A stable fingerprint from the labels (sorted name=value), for payloads without one. */
export function labelFingerprint(labels: Record<string, string>): string {
  const text = Object.keys(labels).sort().map((k) => `${k}\u00ff${labels[k]}\u00ff`).join('');
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

export function parseAlertmanager(body: unknown, source: string): { events: EventInput[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const p = body as Raw;
  if (!p || typeof p !== 'object' || Array.isArray(p)) return { events: [], errors: [{ field: 'body', reason: 'must be the JSON object Alertmanager posts' }] };
  if (p.version !== undefined && String(p.version) !== '4') errors.push({ field: 'version', reason: `only version 4 of the webhook payload is read, got ${JSON.stringify(p.version)}` });
  if (!Array.isArray(p.alerts)) errors.push({ field: 'alerts', reason: 'must be a list' });
  const events: EventInput[] = [];
  (Array.isArray(p.alerts) ? p.alerts as Raw[] : []).forEach((a, i) => {
    const at = (f: string) => `alerts[${i}].${f}`;
    const before = errors.length;
    if (!strings(a?.labels)) errors.push({ field: at('labels'), reason: 'must be an object of strings' });
    if (a?.annotations !== undefined && !strings(a.annotations)) errors.push({ field: at('annotations'), reason: 'must be an object of strings' });
    const status = String(a?.status ?? p.status ?? '').toLowerCase();
    if (status !== 'firing' && status !== 'resolved') errors.push({ field: at('status'), reason: `must be firing or resolved, got ${JSON.stringify(a?.status ?? p.status)}` });
    for (const f of ['startsAt', 'endsAt'] as const) {
      if (a?.[f] !== undefined && (typeof a[f] !== 'string' || Number.isNaN(Date.parse(a[f])))) errors.push({ field: at(f), reason: 'must be an RFC 3339 time' });
    }
    if (errors.length > before) return;
    const labels = a.labels as Record<string, string>;
    const annotations = (a.annotations ?? {}) as Record<string, string>;
    events.push({
      source, status: status === 'firing' ? 'FIRING' : 'RESOLVED', labels, annotations,
      fingerprint: typeof a.fingerprint === 'string' && a.fingerprint ? a.fingerprint : labelFingerprint(labels),
      severity: labels.severity ?? null,
      summary: annotations.summary ?? annotations.description ?? labels.alertname ?? null,
      startsAt: a.startsAt ? new Date(a.startsAt).toISOString() : null,
      endsAt: a.endsAt && !ZERO_TIME.test(a.endsAt) ? new Date(a.endsAt).toISOString() : null,
      generatorUrl: typeof a.generatorURL === 'string' ? a.generatorURL : null,
      ciId: null,
    });
  });
  return { events, errors };
}
