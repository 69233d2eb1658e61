import { AddressInfo } from 'net';
import { performance } from 'perf_hooks';
import pino from 'pino';
import { Catalog } from '../src/model/catalog';
import { Neo4jClient } from '../src/graph/client';
import { createApp } from '../src/server/app';
import { createLogger } from '../src/observability/logger';
import { HealthService } from '../src/services/health.service';
import { estateCounts } from './impact-data';
import { ensureImpactEstate } from './impact-load';
import { LatencyStats, latency } from './latency';
import { postGraphql } from './http-client';

/** What the explorer's dashboard and the GraphiQL example ask. */
const HEALTH_QUERY = `query($maxAge: Int!) {
  cmdbHealth(limit: 10, maxAgeSeconds: $maxAge) {
    generatedAt ageSeconds
    summary { totalCis completeness duplicateCount orphanCount staleCount markedStaleCount }
    classes { class ciCount completeness duplicateCount orphanCount staleCount }
    orphans { count sample { id name class } }
    duplicates { count collisionCount openRecordCount }
    sources { name ciCount lastRunStatus }
  }
}`;

export interface HealthBenchResult {
  estate: { cis: number; relationships: number; sourceRecords: number };
  /** Each call measures (maxAgeSeconds 0), one after another. */
  measured: LatencyStats;
  /** Five callers at once, each asking a measurement: wall time until all have answered. */
  fiveConcurrentMs: number;
  /** A dashboard accepting a minute-old report (maxAgeSeconds 60): the calls after the first. */
  snapshot: LatencyStats;
  /** Each of the report's queries timed in-process (p50, ms). */
  queries: { query: string; ms: number }[];
  summary: Record<string, number>;
}

/**
 * Gives every CI one source record, as a discovery source that reports all of them would: three quarters
 * confirmed now, the rest two days ago (beyond the 24-hour window), so the staleness figures have work to do.
 */
async function seedSourceRecords(client: Neo4jClient, now: string): Promise<number> {
  await client.write(`MERGE (d:DataSource {name: 'bench-discovery'}) SET d.kind = 'DISCOVERY', d.priority = 50, d.stalenessHours = 24`);
  const existing = await client.read(`MATCH (s:SourceRecord {source: 'bench-discovery'}) RETURN count(s) AS n`);
  if ((existing.records[0].get('n') as number) === 0) {
    // Batches of CIs by id order, in bounded write transactions.
    let after = '';
    for (;;) {
      const r = await client.write(
        `MATCH (c:CI) WHERE c.id > $after WITH c ORDER BY c.id LIMIT 20000
         CREATE (:SourceRecord {key: 'bench-discovery|bench|' + c.id, source: 'bench-discovery', scope: 'bench', ciId: c.id,
                 lastSeenAt: CASE WHEN c.id ENDS WITH '3' THEN toString(datetime($now) - duration({days: 2})) ELSE $now END})
         RETURN max(c.id) AS last`,
        { after, now },
      );
      const last = r.records[0].get('last') as string | null;
      if (!last) break;
      after = last;
    }
  }
  const n = await client.read(`MATCH (s:SourceRecord) RETURN count(s) AS n`);
  return n.records[0].get('n') as number;
}

async function timed<T>(fn: () => Promise<T>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/**
 * cmdbHealth on the 103,321-CI impact estate through the GraphQL endpoint with a viewer token.
 * HEALTH_ROUNDS (default 5) measured calls after one warm-up; IMPACT_REUSE_ESTATE=1 keeps a loaded estate.
 */
export async function runHealthBench(client: Neo4jClient, catalog: Catalog, log: (m: string) => void): Promise<HealthBenchResult> {
  const rounds = Number(process.env.HEALTH_ROUNDS ?? 5);
  const estate = await ensureImpactEstate(client, catalog, log);
  const counts = estateCounts(estate);
  const sourceRecords = await seedSourceRecords(client, new Date().toISOString());
  log(`health: ${estate.cis.length} CIs (${Object.keys(counts.cis).length} classes), ${sourceRecords} source records`);

  const app = await createApp({ client, catalog, logger: createLogger({ format: 'json', destination: pino.destination('/dev/null') }) });
  const { token } = await app.tokens.create({ name: `bench-health-${Date.now()}`, role: 'viewer' }, 'bench');
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}/graphql`;
  const ask = async (maxAge: number) => {
    const { body } = await postGraphql<{ data?: { cmdbHealth: { summary: Record<string, number> } }; errors?: unknown[] }>(url, token, HEALTH_QUERY, { maxAge });
    if (!body.data) throw new Error(`cmdbHealth failed: ${JSON.stringify(body.errors)}`);
    return body.data.cmdbHealth;
  };
  try {
    const first = await ask(0);
    const measured: number[] = [];
    for (let i = 0; i < rounds; i++) measured.push(await timed(() => ask(0)));
    const fiveConcurrentMs = await timed(() => Promise.all(Array.from({ length: 5 }, () => ask(0))));
    const snapshot: number[] = [];
    await ask(60);
    for (let i = 0; i < 20; i++) snapshot.push(await timed(() => ask(60)));

    const queries = await breakdown(client, catalog, rounds);
    return {
      estate: { cis: estate.cis.length, relationships: estate.relationships.length, sourceRecords },
      measured: latency(measured),
      fiveConcurrentMs,
      snapshot: latency(snapshot),
      queries,
      summary: first.summary,
    };
  } finally {
    await app.stop();
  }
}

/** Each query of the report, timed as the service runs them (all six at once, as one report does). */
async function breakdown(client: Neo4jClient, catalog: Catalog, rounds: number): Promise<{ query: string; ms: number }[]> {
  const samples = new Map<string, number[]>();
  for (let i = 0; i < rounds; i++) {
    const timedClient = client.scoped();
    const read = timedClient.read.bind(timedClient);
    timedClient.read = (async (query: string, params?: Record<string, unknown>) => {
      const t = performance.now();
      try {
        return await read(query, params);
      } finally {
        const name = query.trim().split('\n').map((l) => l.trim()).join(' ').slice(0, 90);
        samples.set(name, [...(samples.get(name) ?? []), performance.now() - t]);
      }
    }) as typeof timedClient.read;
    await new HealthService(timedClient, catalog).report({ limit: 10 });
  }
  return [...samples].map(([query, ms]) => ({ query, ms: latency(ms).p50 }));
}

export function formatHealthResult(r: HealthBenchResult): string[] {
  return [
    `health: cmdbHealth over HTTP on ${r.estate.cis} CIs, ${r.estate.relationships} relationships, ${r.estate.sourceRecords} source records`,
    `  measured each call (maxAgeSeconds 0): p50 ${r.measured.p50.toFixed(0)} ms, p95 ${r.measured.p95.toFixed(0)} ms (target p50 < 1,000 ms)`,
    `  five callers at once:                 ${r.fiveConcurrentMs.toFixed(0)} ms until all answered`,
    `  dashboard (maxAgeSeconds 60):         p50 ${r.snapshot.p50.toFixed(1)} ms, p95 ${r.snapshot.p95.toFixed(1)} ms`,
    ...r.queries.map((q) => `  query p50 ${q.ms.toFixed(0).padStart(6)} ms  ${q.query}`),
  ];
}
