/**
 * Live service health. The instance that stores alerts recomputes, around the CIs they concern, the health of the
 * services those CIs reach (ServiceHealthTracker.around), and publishes what differs from the last health it knows on
 * the shared bus. Every instance (itself included) delivers a health to its own subscribers only when it differs
 * from the last one it delivered, so a change is delivered once per instance even when two instances computed it.
 * Relationship, redundancy and lifecycle changes make the reach stale: they trigger a full recomputation, as does a
 * timer (a change window opens or closes with no write at all).
 */
import { ServiceHealth } from '../impact/impact.types';
import { HealthCost, ServiceHealthTracker } from '../impact/service-health';
import { CiChangedEvent, EventBus, ServiceHealthEvent, TOPICS } from './event-bus';

type Health = ServiceHealth['health'];
const STRUCTURAL_KINDS = new Set(['RELATIONSHIP_ADDED', 'RELATIONSHIP_REMOVED', 'DELETED', 'MERGED']);
const STRUCTURAL_FIELDS = new Set(['redundancy', 'lifecycleStatus']);

export const isStructural = (e: CiChangedEvent) => e.kinds.some((k) => STRUCTURAL_KINDS.has(k)) || e.fields.some((f) => STRUCTURAL_FIELDS.has(f));

const signature = (h: Pick<ServiceHealthEvent, 'health' | 'causes'>) => `${h.health}|${h.causes.map((c) => `${c.ci.id}:${c.state}`).sort().join(',')}`;

const OPERATIONAL_SIG = signature({ health: 'OPERATIONAL', causes: [] });

export interface FeedOptions {
  /**
   * The failing CIs are re-read this often (ms), recomputing around those whose state changed with no event (a
   * change window opening or closing by the clock); 0: never by timer.
   */
  refreshMs: number;
  /** A full recomputation at least this often (ms), repairing anything missed (an event lost in a Redis outage); 0: never. */
  fullRefreshMs?: number;
  /** Structural changes arrive in bursts (a discovery run): at most one full recomputation this often (ms). */
  minFullIntervalMs?: number;
  /** Told what each computation cost (metrics and the benchmark). */
  onComputed?: (kind: 'incremental' | 'full', cost: HealthCost, ms: number) => void;
  onError?: (err: unknown) => void;
}

export interface ComputationStats {
  count: number;
  totalMs: number;
  maxMs: number;
  /** CIs loaded, summed over computations. */
  loaded: number;
}

export class ServiceHealthFeed {
  /** What the recomputations cost so far, by kind. */
  readonly stats: Record<'incremental' | 'full', ComputationStats> = {
    incremental: { count: 0, totalMs: 0, maxMs: 0, loaded: 0 },
    full: { count: 0, totalMs: 0, maxMs: 0, loaded: 0 },
  };

  /** The last health delivered here, per service that is not OPERATIONAL (absent: OPERATIONAL). */
  private readonly delivered = new Map<string, { health: Health; sig: string; service: ServiceHealthEvent['service'] }>();
  private readonly pending = new Set<string>();
  private fullWanted = false;
  /** Re-read the failing CIs even with no CI named (the timer). */
  private recheck = false;
  private running: Promise<void> | null = null;
  private readonly stops: (() => void)[] = [];
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private lastFull = 0;
  /** Until a full computation succeeds, what is unhealthy is learnt, not announced. */
  private seeded = false;
  private deferred: NodeJS.Timeout | null = null;

  constructor(private readonly tracker: ServiceHealthTracker, private readonly bus: EventBus, private readonly opts: FeedOptions) {}

  /** Learns the health now (delivering nothing: it is the starting point, not a change), then follows the bus. */
  async start(): Promise<void> {
    this.follow(this.bus.shared.subscribe(TOPICS.SERVICE_HEALTH_COMPUTED), (e) => this.deliver(e));
    this.follow(this.bus.local.subscribe(TOPICS.ALERTS_STORED), (ids) => this.request(ids));
    this.follow(this.bus.local.subscribe(TOPICS.MAINTENANCE_CHANGED), (ids) => this.request(ids));
    this.follow(this.bus.shared.subscribe(TOPICS.CI_CHANGED), (e) => {
      if (!isStructural(e)) return;
      this.tracker.invalidate();
      this.fullWanted = true;
      this.kick();
    });
    // Never fails the start: with Neo4j down the API still answers (503), and the next full computation seeds.
    this.fullWanted = true;
    this.kick();
    await this.idle();
    if (this.opts.refreshMs > 0) {
      this.timer = setInterval(() => {
        if (this.opts.fullRefreshMs && Date.now() - this.lastFull >= this.opts.fullRefreshMs) this.fullWanted = true;
        else this.recheck = true;
        this.kick();
      }, this.opts.refreshMs);
      this.timer.unref();
    }
  }

  /** Resolves once every computation asked for so far has been published (tests and the benchmark wait on it). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.deferred) clearTimeout(this.deferred);
    for (const s of this.stops) s();
    await this.idle();
  }

  private follow<T>(stream: AsyncIterableIterator<T> & { return?: () => unknown }, handle: (e: T) => void): void {
    this.stops.push(() => void stream.return?.());
    void (async () => {
      for await (const e of stream) {
        try {
          handle(e);
        } catch (err) {
          this.opts.onError?.(err);
        }
      }
    })();
  }

  private request(ids: string[]): void {
    for (const id of ids) this.pending.add(id);
    this.kick();
  }

  /** One computation at a time; what arrives meanwhile is coalesced into the next. */
  private kick(): void {
    if (this.running || this.stopped) return;
    this.running = (async () => {
      while (!this.stopped && (this.fullWanted || this.pending.size || this.recheck)) {
        const wait = this.lastFull + (this.opts.minFullIntervalMs ?? 0) - Date.now();
        const full = this.fullWanted && wait <= 0;
        if (this.fullWanted && !full && !this.deferred) {
          this.deferred = setTimeout(() => {
            this.deferred = null;
            this.kick();
          }, wait);
          this.deferred.unref();
        }
        if (!full && !this.pending.size && !this.recheck) break;
        const ids = [...this.pending];
        if (full) this.fullWanted = false;
        this.pending.clear();
        this.recheck = false;
        try {
          await this.compute(full, ids);
        } catch (err) {
          this.opts.onError?.(err);
        }
      }
    })().finally(() => {
      this.running = null;
    });
  }

  private async compute(full: boolean, ids: string[]): Promise<void> {
    const started = performance.now();
    if (full) this.lastFull = Date.now();
    const { services, cost } = full ? await this.tracker.full() : await this.tracker.around(ids);
    const ms = performance.now() - started;
    const st = this.stats[full ? 'full' : 'incremental'];
    st.count++;
    st.totalMs += ms;
    st.maxMs = Math.max(st.maxMs, ms);
    st.loaded += cost.loaded;
    this.opts.onComputed?.(full ? 'full' : 'incremental', cost, ms);
    if (full && !this.seeded) {
      for (const s of services) this.delivered.set(s.service.id, { health: s.health, sig: signature(toEvent(s, 'OPERATIONAL')), service: s.service });
      this.seeded = true;
      return;
    }
    for (const s of services) this.publishIfChanged(toEvent(s, this.delivered.get(s.service.id)?.health ?? 'OPERATIONAL'));
    if (!full) return;
    // A full computation lists only unhealthy services: the others known unhealthy here have recovered.
    const computed = new Set(services.map((s) => s.service.id));
    for (const [id, last] of this.delivered) {
      if (!computed.has(id)) this.publishIfChanged({ service: last.service, health: 'OPERATIONAL', previous: last.health, causes: [], at: new Date().toISOString() });
    }
  }

  private publishIfChanged(event: ServiceHealthEvent): void {
    if ((this.delivered.get(event.service.id)?.sig ?? OPERATIONAL_SIG) === signature(event)) return;
    this.bus.shared.publish(TOPICS.SERVICE_HEALTH_COMPUTED, event);
  }

  private deliver(e: ServiceHealthEvent): void {
    const sig = signature(e);
    const last = this.delivered.get(e.service.id);
    if ((last?.sig ?? OPERATIONAL_SIG) === sig) return;
    const previous = last?.health ?? 'OPERATIONAL';
    if (e.health === 'OPERATIONAL') this.delivered.delete(e.service.id);
    else this.delivered.set(e.service.id, { health: e.health, sig, service: e.service });
    this.bus.local.publish(TOPICS.SERVICE_HEALTH_CHANGED, { ...e, previous });
  }
}

function toEvent(s: ServiceHealth, previous: Health): ServiceHealthEvent {
  return { service: s.service, health: s.health, previous, causes: s.causes.map((c) => ({ ci: c.ci, state: c.state })), at: new Date().toISOString() };
}
