import { ApiTokenRecord } from '../graph/token.queries';
import { EventBus, TOPICS } from '../events/event-bus';

/** How long a token's record is trusted without reading it again; revocations reach every instance at once over the bus. */
export const TOKEN_CACHE_MS = 10_000;
const MAX_ENTRIES = 10_000;

/**
 * Token records by hash, so an authenticated request does not cost a Neo4j round trip (a quarter of a small
 * request's time). Expiry is still checked on every request from the record; a revocation drops the record here
 * and on every other instance (TOKEN_REVOKED on the shared bus). While the bus cannot reach the other instances,
 * nothing is served from the cache: a revocation elsewhere could not be heard.
 */
export class TokenCache {
  private readonly byHash = new Map<string, { record: ApiTokenRecord; at: number }>();
  private readonly stops: (() => void)[] = [];

  constructor(private readonly bus: EventBus | null, private readonly ttlMs = TOKEN_CACHE_MS, private readonly now: () => number = Date.now) {
    if (!bus) return;
    const stream = bus.shared.subscribe(TOPICS.TOKEN_REVOKED);
    this.stops.push(() => void stream.return?.());
    void (async () => {
      for await (const e of stream) this.dropId(e.id);
    })();
    // Anything cached while revocations could not be heard is suspect once they can again.
    this.stops.push(bus.onOutage(() => this.byHash.clear()));
  }

  get(hash: string): ApiTokenRecord | null {
    if (this.bus?.outage) return null;
    const hit = this.byHash.get(hash);
    if (!hit || this.now() - hit.at >= this.ttlMs) return null;
    return hit.record;
  }

  set(hash: string, record: ApiTokenRecord): void {
    if (this.byHash.size >= MAX_ENTRIES) this.byHash.delete(this.byHash.keys().next().value!);
    this.byHash.set(hash, { record, at: this.now() });
  }

  /** After a revocation committed: here at once, on the other instances when they hear of it. */
  revoked(id: string): void {
    this.dropId(id);
    this.bus?.shared.publish(TOPICS.TOKEN_REVOKED, { id });
  }

  stop(): void {
    for (const stop of this.stops.splice(0)) stop();
  }

  private dropId(id: string): void {
    for (const [hash, { record }] of this.byHash) if (record.id === id) this.byHash.delete(hash);
  }
}
