/** One event as every ingestion path hands it to the event service. */
export interface EventInput {
  source: string;
  /** The dedup key within the source: an alert seen again (same fingerprint) updates the one alert. */
  fingerprint: string;
  status: 'FIRING' | 'RESOLVED';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  severity: string | null;
  summary: string | null;
  startsAt: string | null;
  endsAt: string | null;
  generatorUrl: string | null;
  /** Given by the caller instead of binding by labels. */
  ciId: string | null;
}

export interface IngestResult {
  received: number;
  created: number;
  updated: number;
  resolved: number;
  bound: number;
  unbound: number;
}
