import { HealthReport } from './health.types';

/** What a report costs to compute grows with the estate; a snapshot lets dashboards read it at the cost of its age. */
export interface HealthSnapshotOptions {
  /** Distinct (class, limit) reports kept; the least recently read is dropped first. */
  maxEntries: number;
  /**
   * A snapshot read when older than this share of the age the caller accepts is refreshed in the background, so a
   * dashboard polling with `maxAgeSeconds` keeps reading fast answers that stay within its bound.
   */
  refreshAtShare: number;
}

export const DEFAULT_HEALTH_SNAPSHOTS: HealthSnapshotOptions = { maxEntries: 32, refreshAtShare: 0.5 };

interface Entry {
  report?: HealthReport;
  computedAt?: number;
  inflight?: Promise<HealthReport>;
}

/**
 * One per process. Concurrent callers of the same report share one computation (five dashboards opening at once
 * cost one scan of the estate); a caller that accepts an age gets the last report when it is young enough.
 * The report's `generatedAt` always says when its figures were measured.
 */
export class HealthSnapshots {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly opts: HealthSnapshotOptions = DEFAULT_HEALTH_SNAPSHOTS, private readonly now: () => number = Date.now) {}

  async get(key: string, maxAgeMs: number, compute: () => Promise<HealthReport>): Promise<HealthReport> {
    const entry = this.touch(key);
    const age = entry.computedAt === undefined ? Infinity : this.now() - entry.computedAt;
    if (entry.report && age <= maxAgeMs) {
      if (age > maxAgeMs * this.opts.refreshAtShare && !entry.inflight) void this.start(key, entry, compute).catch(() => undefined);
      return entry.report;
    }
    return entry.inflight ?? this.start(key, entry, compute);
  }

  private start(key: string, entry: Entry, compute: () => Promise<HealthReport>): Promise<HealthReport> {
    const startedAt = this.now();
    const inflight = compute().then(
      (report) => {
        if (entry.computedAt === undefined || startedAt >= entry.computedAt) Object.assign(entry, { report, computedAt: startedAt });
        return report;
      },
    ).finally(() => {
      if (entry.inflight === inflight) entry.inflight = undefined;
    });
    entry.inflight = inflight;
    return inflight;
  }

  private touch(key: string): Entry {
    const entry = this.entries.get(key) ?? {};
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.opts.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return entry;
  }
}
