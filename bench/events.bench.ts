/**
 * Event management under load on the impact estate (about 100,000 CIs): Alertmanager posts at BENCH_EVENTS_RATE
 * alerts per second (default 1,000) for BENCH_EVENTS_SECONDS (default 60) through the real webhook, as Alertmanager
 * sends them: groups of 100, most of them re-sends of alerts already firing, some starting or resolving
 * (BENCH_EVENTS_FLIP, default 0.05 of them) over a pool of BENCH_EVENTS_POOL distinct alerts (default 500) on
 * hosts, pods and database instances, after BENCH_EVENTS_WARMUP_S (default 20) of the same load unmeasured. A graphql-ws subscriber to serviceHealthChanged measures, for each alert that
 * starts firing and changes a service's health, the time from its post to the health change. Then one incremental
 * recomputation (around one pod) is timed against a full one, with the same alerts open.
 */
import { AddressInfo } from 'net';
import { performance } from 'perf_hooks';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import pino from 'pino';
import { Catalog } from '../src/model/catalog';
import { Neo4jClient } from '../src/graph/client';
import { createApp } from '../src/server/app';
import { ServiceHealthTracker } from '../src/impact/service-health';
import { ensureImpactEstate } from './impact-load';
import { latency, LatencyStats, ratio } from './latency';
import { mulberry32 } from './estate-builder';
import { postJson } from './http-client';

const GROUP = 100;
const TARGET_CLASSES = ['Computer', 'KubernetesPod', 'DatabaseInstance'];

export interface EventsBenchResult {
  estateCis: number;
  rate: number;
  seconds: number;
  pool: number;
  flip: number;
  alertsSent: number;
  /** Alerts per second the webhook took, over the run. */
  achievedRate: number;
  /** Webhook post latency (ms). */
  post: LatencyStats;
  /** From the post of an alert that started firing to the serviceHealthChanged it caused (ms). */
  toHealthChange: LatencyStats;
  healthChanges: number;
  feed: { incremental: { count: number; meanMs: number; maxMs: number; meanLoaded: number }; full: { count: number; meanMs: number; maxMs: number } };
  /** One recomputation with the alerts left open at the end: around one pod, and of the whole estate. */
  oneAlert: { incrementalMs: LatencyStats; fullMs: LatencyStats; incrementalLoaded: number; fullLoaded: number; failing: number; ratio: number };
  heapUsedMb: number;
}

export async function runEventsBench(client: Neo4jClient, catalog: Catalog, log: (m: string) => void): Promise<EventsBenchResult> {
  const rate = Number(process.env.BENCH_EVENTS_RATE ?? 1000);
  const seconds = Number(process.env.BENCH_EVENTS_SECONDS ?? 60);
  const warmup = Number(process.env.BENCH_EVENTS_WARMUP_S ?? 20);
  const poolSize = Number(process.env.BENCH_EVENTS_POOL ?? 500);
  const flip = Number(process.env.BENCH_EVENTS_FLIP ?? 0.05);
  const estate = await ensureImpactEstate(client, catalog, log);
  await client.write('MATCH (a:Alert) DETACH DELETE a');
  const rnd = mulberry32(0xa1e47);
  const candidates = estate.cis.filter((c) => TARGET_CLASSES.some((t) => catalog.isA(c.class, t)));
  const pool = Array.from({ length: poolSize }, (_, i) => ({ fingerprint: `bench-${i}`, ciId: candidates[Math.floor(rnd() * candidates.length)].id, firing: false }));

  const app = await createApp({ client, catalog, logger: pino({ level: 'silent' }) });
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}`;
  const { token } = await app.tokens.create({ name: `bench-events-${Date.now()}`, role: 'admin' }, 'bench');
  // When each CI's alert last started firing, until a health change names it as a cause.
  const firedAt = new Map<string, number>();
  const toHealth: number[] = [];
  let healthChanges = 0;
  const ws = createClient({ url: `${base.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, lazy: false, retryAttempts: 0, connectionParams: { authorization: `Bearer ${token}` }, onNonLazyError: () => undefined });
  ws.subscribe({ query: 'subscription { serviceHealthChanged { health causes { ci { id } } } }' }, {
    next: (v) => {
      healthChanges++;
      const now = performance.now();
      for (const c of (v.data as { serviceHealthChanged: { causes: { ci: { id: string } }[] } }).serviceHealthChanged.causes) {
        const at = firedAt.get(c.ci.id);
        if (at !== undefined) {
          toHealth.push(now - at);
          firedAt.delete(c.ci.id);
        }
      }
    },
    error: (e) => log(`subscription error: ${JSON.stringify(e)}`),
    complete: () => undefined,
  });
  await new Promise((r) => setTimeout(r, 500));

  const postMs: number[] = [];
  let sent = 0;
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  const groupsPerSecond = rate / GROUP;
  const warmupGroups = Math.round(groupsPerSecond * warmup);
  const totalGroups = warmupGroups + Math.round(groupsPerSecond * seconds);
  let measuredFrom = started;
  const startsAt = new Date().toISOString();
  for (let g = 0; g < totalGroups; g++) {
    if (g === warmupGroups) {
      // The warm-up is over: every CI of the pool has failed once (its walk is known); measure from here.
      await Promise.all(inFlight);
      await app.serviceHealth.idle();
      toHealth.length = 0;
      postMs.length = 0;
      sent = 0;
      healthChanges = 0;
      for (const k of ['incremental', 'full'] as const) Object.assign(app.serviceHealth.stats[k], { count: 0, totalMs: 0, maxMs: 0, loaded: 0 });
      measuredFrom = performance.now();
      log(`events: warm-up of ${warmup} s done; measuring ${seconds} s`);
    }
    const due = (g < warmupGroups ? started : measuredFrom) + ((g < warmupGroups ? g : g - warmupGroups) * 1000) / groupsPerSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const alerts = Array.from({ length: GROUP }, () => {
      const a = pool[Math.floor(rnd() * pool.length)];
      const flipped = rnd() < flip;
      if (flipped) a.firing = !a.firing;
      return { a, firing: a.firing, flipped };
    });
    const body = {
      version: '4', groupKey: `{}:{alertname="BenchDown"}`, truncatedAlerts: 0, status: 'firing', receiver: 'cmdb', groupLabels: { alertname: 'BenchDown' },
      commonLabels: { alertname: 'BenchDown' }, commonAnnotations: {}, externalURL: 'http://alertmanager.bench:9093',
      alerts: alerts.map(({ a, firing }) => ({
        status: firing ? 'firing' : 'resolved', labels: { alertname: 'BenchDown', ci_id: a.ciId, severity: 'critical' }, annotations: { summary: 'bench' },
        startsAt, endsAt: firing ? '0001-01-01T00:00:00Z' : new Date().toISOString(), generatorURL: 'http://prometheus.bench:9090/graph', fingerprint: a.fingerprint,
      })),
    };
    const t0 = performance.now();
    // Only an alert that starts firing in this post is timed (re-sends change nothing); a resolved one is forgotten.
    for (const { a, firing, flipped } of alerts) {
      if (flipped && firing) firedAt.set(a.ciId, t0);
      if (flipped && !firing) firedAt.delete(a.ciId);
    }
    const p: Promise<void> = postJson(`${base}/webhooks/alertmanager`, body, { authorization: `Bearer ${token}` })
      .then((res) => {
        if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${JSON.stringify(res.body).slice(0, 500)}`);
        postMs.push(performance.now() - t0);
        sent += GROUP;
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
    // Alertmanager waits for each post; more than a few outstanding means the hub has fallen behind.
    while (inFlight.size >= 8) await Promise.race(inFlight);
    if (g % Math.round(groupsPerSecond * 10) === 0) log(`events: ${Math.round((performance.now() - started) / 1000)} s, ${sent} alerts taken (measured), ${healthChanges} health changes`);
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - measuredFrom) / 1000;
  await app.serviceHealth.idle();
  await new Promise((r) => setTimeout(r, 500));
  const feed = app.serviceHealth.stats;

  // One alert's recomputation against a full one, with the alerts left open now.
  const tracker = new ServiceHealthTracker(client, catalog);
  const pods = estate.cis.filter((c) => c.class === 'KubernetesPod');
  const fullMs: number[] = [];
  const incMs: number[] = [];
  let fullLoaded = 0;
  let incLoaded = 0;
  let failing = 0;
  for (let i = 0; i < 12; i++) {
    let t = performance.now();
    const full = await tracker.full();
    fullMs.push(performance.now() - t);
    fullLoaded = full.cost.loaded;
    failing = full.cost.starts;
    t = performance.now();
    const around = await tracker.around([pods[Math.floor(rnd() * pods.length)].id]);
    incMs.push(performance.now() - t);
    incLoaded = Math.max(incLoaded, around.cost.loaded);
  }
  await ws.dispose();
  await app.stop();
  const mean = (s: { count: number; totalMs: number }) => (s.count ? s.totalMs / s.count : 0);
  const fullStats = latency(fullMs.slice(2));
  const incStats = latency(incMs.slice(2));
  return {
    estateCis: estate.cis.length, rate, seconds, pool: poolSize, flip, alertsSent: sent, achievedRate: sent / elapsed,
    post: latency(postMs), toHealthChange: latency(toHealth), healthChanges,
    feed: {
      incremental: { count: feed.incremental.count, meanMs: mean(feed.incremental), maxMs: feed.incremental.maxMs, meanLoaded: feed.incremental.count ? feed.incremental.loaded / feed.incremental.count : 0 },
      full: { count: feed.full.count, meanMs: mean(feed.full), maxMs: feed.full.maxMs },
    },
    oneAlert: { incrementalMs: incStats, fullMs: fullStats, incrementalLoaded: incLoaded, fullLoaded, failing, ratio: ratio(incStats.p50, fullStats.p50) },
    heapUsedMb: Math.round(process.memoryUsage().heapUsed / 1048576),
  };
}

export function formatEventsResult(r: EventsBenchResult): string[] {
  const f = (n: number) => n.toFixed(1);
  return [
    `events: ${r.alertsSent} alerts in ${r.seconds} s at ${r.rate}/s asked (${Math.round(r.achievedRate)}/s taken) on ${r.estateCis} CIs; pool of ${r.pool} alerts, ${r.flip * 100}% of posts start or resolve one`,
    `  webhook post (100 alerts): p50 ${f(r.post.p50)} ms, p95 ${f(r.post.p95)} ms`,
    `  post to serviceHealthChanged: p50 ${f(r.toHealthChange.p50)} ms, p95 ${f(r.toHealthChange.p95)} ms (${r.toHealthChange.n} alerts measured, ${r.healthChanges} health changes)`,
    `  recomputations during the run: ${r.feed.incremental.count} incremental (mean ${f(r.feed.incremental.meanMs)} ms, max ${f(r.feed.incremental.maxMs)} ms, ${Math.round(r.feed.incremental.meanLoaded)} CIs loaded), ${r.feed.full.count} full`,
    `  one alert on a pod, ${r.oneAlert.failing} CIs failing: incremental p50 ${f(r.oneAlert.incrementalMs.p50)} ms (${r.oneAlert.incrementalLoaded} CIs loaded), full p50 ${f(r.oneAlert.fullMs.p50)} ms (${r.oneAlert.fullLoaded} CIs loaded), ratio ${r.oneAlert.ratio.toFixed(3)}`,
  ];
}
