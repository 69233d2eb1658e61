/** Who set a value, when it was first set to this value and when a source last confirmed it. */
export interface Provenance {
  source: string;
  firstSetAt: string;
  lastConfirmedAt: string;
  runId: string | null;
  /** The principal behind a manual value (token:<name>, jwt:<subject>); absent for values from a source's runs. */
  actor?: string | null;
}

export type ProvenanceMap = Record<string, Provenance>;

/*
 * Stored on the CI as one JSON string. Most fields of a CI share their provenance (one source
 * set them in one run), so the distinct tuples are stored once and fields point at them:
 * {"t":[["nmap","2026-…","2026-…","run-1"]],"f":{"hostname":0,"osName":0}}, about a fifth of
 * the naive encoding for a typical server.
 */
type Encoded = { t: ([string, string, string, string | null] | [string, string, string, string | null, string])[]; f: Record<string, number> };

export function encodeProvenance(map: ProvenanceMap): string {
  const tuples: Encoded['t'] = [];
  const index = new Map<string, number>();
  const fields: Record<string, number> = {};
  for (const [field, p] of Object.entries(map)) {
    const tuple: Encoded['t'][number] = p.actor ? [p.source, p.firstSetAt, p.lastConfirmedAt, p.runId, p.actor] : [p.source, p.firstSetAt, p.lastConfirmedAt, p.runId];
    const key = JSON.stringify(tuple);
    let i = index.get(key);
    if (i === undefined) {
      i = tuples.push(tuple) - 1;
      index.set(key, i);
    }
    fields[field] = i;
  }
  return JSON.stringify({ t: tuples, f: fields });
}

export function decodeProvenance(raw: unknown): ProvenanceMap {
  if (typeof raw !== 'string') return {};
  const parsed = JSON.parse(raw) as Encoded;
  const out: ProvenanceMap = {};
  for (const [field, i] of Object.entries(parsed.f ?? {})) {
    const [source, firstSetAt, lastConfirmedAt, runId, actor] = parsed.t[i];
    out[field] = actor ? { source, firstSetAt, lastConfirmedAt, runId, actor } : { source, firstSetAt, lastConfirmedAt, runId };
  }
  return out;
}
