import { AddressInfo } from 'net';
import { join } from 'path';
import { performance } from 'perf_hooks';
import { Catalog } from '../src/model/catalog';
import { Neo4jClient } from '../src/graph/client';
import { ManagedTransaction, QueryResult, RecordShape } from 'neo4j-driver';
import { relTypes } from '../src/graph/cypher-names';
import { propagationTypes } from '../src/impact/propagation';
import { ImpactService } from '../src/impact/impact.service';
import { createApp } from '../src/server/app';
import { createLogger } from '../src/observability/logger';
import { IsolationRun, runIsolationBench } from './isolation.bench';
import { projectRoot } from '../src/project-root';
import pino from 'pino';
import { estateCounts, generateImpactEstate, ImpactStart, START_KINDS } from './impact-data';
import { holdsEstate, loadImpactEstate } from './impact-load';
import { wipe } from './bench-neo4j';
import { LatencyStats, latency, ratio } from './latency';
import { JsonReply, postGraphql } from './http-client';

export const IMPACT_DEPTH = 6;
const IMPACT_LIMIT = 50_000;
const IMPACT_QUERY = `query($input: ImpactInput!) {
  impact(input: $input) { truncated affected { ci { id name class } severity depth } services { ci { name } severity } }
}`;

/**
 * The service desk's question on an incident form: which services are hit and how badly, the counts, whom to call,
 * and the first page of affected CIs, worst first; it must not pay for serialising thousands of affected CIs.
 */
const DESK_QUERY = `query($input: ImpactInput!) {
  impact(input: $input) {
    truncated services { ci { name owner supportGroup criticality } severity } countsByClass { class count down degraded }
    notify { contact role cis services } affectedConnection(first: 50) { totalCount edges { node { ci { id name class owner } severity depth } } }
  }
}`;

/** API and plain Cypher latencies for one kind of start (or all of them), in ms. */
export interface ImpactKindResult {
  kind: string;
  starts: number;
  samples: number;
  affectedAvg: number;
  api: LatencyStats;
  cypher: LatencyStats;
  /** p50(API) / p50(Cypher), and the same at p95. */
  ratioP50: number;
  ratioP95: number;
  /** The desk's question (DESK_QUERY) through the API, and its ratios to the same plain Cypher. */
  desk: LatencyStats;
  deskRatioP50: number;
  deskRatioP95: number;
  /** The median over samples of API / Cypher for the same start in the same round. */
  pairedRatioMedian: number;
}

/** Where the API's time goes, p50 in ms: the service called in-process (no HTTP, no GraphQL) and each of its queries. */
export interface ImpactBreakdown {
  kind: string;
  /** ImpactService.impact, queries and computation. */
  service: number;
  /** Each Cypher round trip the service made, in order, labelled by its first line. */
  queries: { query: string; ms: number }[];
  /** service minus its queries: building the answer in JavaScript. */
  compute: number;
}

export interface ImpactBenchResult {
  estate: { cis: number; relationships: number; cisByClass: Record<string, number>; relationshipsByType: Record<string, number>; generateMs: number; loadMs: number };
  depth: number;
  warmupRounds: number;
  rounds: number;
  /** Each start with how many CIs its failure affects and whether the walk went on beyond the depth. */
  starts: (ImpactStart & { affected: number; truncatedByDepth: boolean })[];
  kinds: ImpactKindResult[];
  overall: ImpactKindResult;
  breakdown: ImpactBreakdown[];
  /** A cheap read while ten core-switch impacts run, with and without the expensive-operation gate. */
  isolation: IsolationRun[];
  measureMs: number;
}

interface Reached {
  id: string;
  depth: number;
}

/**
 * The baseline: the walk the impact API does, hand-written as one Cypher query, breadth-first one
 * level per subquery (each level the distinct CIs one step from the previous one), then the
 * shortest depth per CI. Each step is a typed expand in the type's failure direction.
 *
 * Not `ANY SHORTEST (s)((a)-[r]-(b) WHERE <direction>){1,6}(x)`: Neo4j 5 cannot inline a
 * predicate that compares r with a (`endNode(r) = a`) into the shortest-path search, so it
 * enumerates the undirected paths and filters them afterwards: tens of seconds per question here.
 */
export function plainImpactQuery(catalog: Catalog, maxDepth: number): { cypher: string; params: Record<string, unknown> } {
  const walk = propagationTypes(catalog, 'DOWNSTREAM', null);
  const expands = [
    walk.incoming.length ? `MATCH (a)<-[:${relTypes(catalog, walk.incoming)}]-(b:CI) RETURN b` : null,
    walk.outgoing.length ? `MATCH (a)-[:${relTypes(catalog, walk.outgoing)}]->(b:CI) RETURN b` : null,
    walk.both.length ? `MATCH (a)-[:${relTypes(catalog, walk.both)}]-(b:CI) RETURN b` : null,
  ].filter((x) => x !== null);
  const levels = Array.from({ length: maxDepth }, (_, i) =>
    `CALL (f${i}) { UNWIND f${i} AS a CALL (a) { ${expands.join(' UNION ALL ')} } RETURN collect(DISTINCT b) AS f${i + 1} }`);
  const cypher = `MATCH (s:CI {id: $id})
WITH s, [s] AS f0
${levels.join('\n')}
WITH s, [${levels.map((_, i) => `f${i + 1}`).join(', ')}] AS levels
UNWIND range(1, size(levels)) AS depth
UNWIND levels[depth - 1] AS x
WITH s, x, min(depth) AS depth
WHERE x <> s
RETURN x.id AS id, x.name AS name, x.class AS class, depth`;
  return { cypher, params: {} };
}

interface ApiAnswer {
  truncated: boolean;
  affected: { ci: { id: string; name: string; class: string }; severity: string; depth: number }[];
  services: { ci: { name: string }; severity: string }[];
}

/** One impact question over HTTP for a start, timed; fails on any error or a timeout (IMPACT_REQUEST_TIMEOUT_MS). */
async function askImpact<T>(what: string, query: string, url: string, token: string, id: string, timeoutMs: number): Promise<{ ms: number; impact: T }> {
  const t = performance.now();
  let res: JsonReply<{ data?: { impact: T }; errors?: unknown[] }>;
  try {
    res = await postGraphql(url, token, query, { input: { ciIds: [id], maxDepth: IMPACT_DEPTH, limit: IMPACT_LIMIT } }, timeoutMs);
  } catch (err) {
    if ((err as Error).name === 'TimeoutError') throw new Error(`${what} for ${id}: no answer within ${timeoutMs} ms (IMPACT_REQUEST_TIMEOUT_MS)`);
    throw err;
  }
  const ms = performance.now() - t;
  const body = res.body;
  if (!res.ok || body.errors?.length || !body.data) throw new Error(`${what} for ${id}: HTTP ${res.status} ${JSON.stringify(body.errors ?? body).slice(0, 500)}`);
  return { ms, impact: body.data.impact };
}

async function callDesk(url: string, token: string, id: string, timeoutMs: number): Promise<{ ms: number; totalCount: number }> {
  const { ms, impact } = await askImpact<{ affectedConnection: { totalCount: number } }>('impact desk question', DESK_QUERY, url, token, id, timeoutMs);
  return { ms, totalCount: impact.affectedConnection.totalCount };
}

async function callApi(url: string, token: string, id: string, timeoutMs: number): Promise<{ ms: number; reached: Reached[]; truncated: boolean }> {
  const { ms, impact: answer } = await askImpact<ApiAnswer>('impact API', IMPACT_QUERY, url, token, id, timeoutMs);
  // Truncated by depth is expected (the walk goes on beyond depth 6); by the limit would make the comparison unfair.
  if (answer.affected.length >= IMPACT_LIMIT) throw new Error(`impact API for ${id}: ${answer.affected.length} CIs, the limit; the estate is too connected for a fair comparison`);
  return { ms, reached: answer.affected.map((a) => ({ id: a.ci.id, depth: a.depth })), truncated: answer.truncated };
}

async function callCypher(client: Neo4jClient, query: { cypher: string; params: Record<string, unknown> }, id: string): Promise<{ ms: number; reached: Reached[] }> {
  const t = performance.now();
  const result = await client.read(query.cypher, { ...query.params, id });
  const rows = result.records.map((r) => ({ id: r.get('id') as string, name: r.get('name') as string, class: r.get('class') as string, depth: r.get('depth') as number }));
  return { ms: performance.now() - t, reached: rows };
}

/** Both answers must name the same CIs at the same depth: the API reports every reached CI, none is OK. */
function assertSameReach(start: ImpactStart, api: Reached[], cypher: Reached[]): void {
  const apiDepth = new Map(api.map((r) => [r.id, r.depth]));
  const cypherDepth = new Map(cypher.map((r) => [r.id, r.depth]));
  const problems: string[] = [];
  for (const [id, d] of cypherDepth) {
    if (!apiDepth.has(id)) problems.push(`${id} (depth ${d}) reached by Cypher, missing from the API`);
    else if (apiDepth.get(id) !== d) problems.push(`${id}: depth ${apiDepth.get(id)} in the API, ${d} in Cypher`);
  }
  for (const [id, d] of apiDepth) if (!cypherDepth.has(id)) problems.push(`${id} (depth ${d}) in the API, not reached by Cypher`);
  if (apiDepth.size !== api.length) problems.push(`the API lists ${api.length - apiDepth.size} CIs twice`);
  if (problems.length) {
    throw new Error(`impact of ${start.kind} ${start.name} (${start.id}): API has ${api.length} CIs, Cypher ${cypher.length}; ${problems.length} differences:\n  ${problems.slice(0, 10).join('\n  ')}`);
  }
}

function summarize(kind: string, samples: { start: ImpactStart; api: number; desk: number; cypher: number; affected: number }[]): ImpactKindResult {
  const api = latency(samples.map((s) => s.api));
  const cypher = latency(samples.map((s) => s.cypher));
  const desk = latency(samples.map((s) => s.desk));
  return {
    kind,
    starts: new Set(samples.map((s) => s.start.id)).size,
    samples: samples.length,
    affectedAvg: Math.round(samples.reduce((n, s) => n + s.affected, 0) / Math.max(1, samples.length)),
    api,
    cypher,
    ratioP50: ratio(api.p50, cypher.p50),
    ratioP95: ratio(api.p95, cypher.p95),
    desk,
    deskRatioP50: ratio(desk.p50, cypher.p50),
    deskRatioP95: ratio(desk.p95, cypher.p95),
    pairedRatioMedian: latency(samples.map((s) => s.api / s.cypher)).p50,
  };
}

/** A client that times each statement (until its last record arrives), to attribute the service's time. */
class TimedClient extends Neo4jClient {
  timings: { query: string; ms: number }[] = [];
  run<R extends RecordShape = RecordShape>(tx: ManagedTransaction, cypher: string, params: Record<string, unknown> = {}): Promise<QueryResult<R>> {
    const t = performance.now();
    const result = super.run<R>(tx, cypher, params);
    void result.then(() => this.timings.push({ query: cypher.trim().split('\n', 1)[0].slice(0, 60), ms: performance.now() - t }), () => undefined);
    return result;
  }
}

/** In-process timings of ImpactService.impact and of each query it makes, to show where the API's time goes. */
async function breakdown(client: Neo4jClient, catalog: Catalog, starts: ImpactStart[], rounds: number): Promise<ImpactBreakdown[]> {
  const timed = new TimedClient(client.driver, client.database);
  const service = new ImpactService(timed, catalog);
  const samples: { kind: string; service: number; queries: { query: string; ms: number }[] }[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const start of starts) {
      timed.timings = [];
      const t = performance.now();
      await service.impact({ ciIds: [start.id], maxDepth: IMPACT_DEPTH, limit: IMPACT_LIMIT });
      samples.push({ kind: start.kind, service: performance.now() - t, queries: timed.timings });
    }
  }
  const summarizeKind = (kind: string, of: typeof samples): ImpactBreakdown => {
    const slots = Math.max(0, ...of.map((s) => s.queries.length));
    const queries = Array.from({ length: slots }, (_, i) => ({
      query: of.find((s) => s.queries[i])?.queries[i].query ?? '?',
      ms: latency(of.map((s) => s.queries[i]?.ms ?? 0)).p50,
    }));
    return { kind, service: latency(of.map((s) => s.service)).p50, queries, compute: latency(of.map((s) => s.service - s.queries.reduce((n, q) => n + q.ms, 0))).p50 };
  };
  return [...START_KINDS.map((kind) => summarizeKind(kind, samples.filter((s) => s.kind === kind))), summarizeKind('all', samples)];
}

/**
 * The impact benchmark: builds the estate, then asks `impact` at depth 6 through the GraphQL
 * endpoint of the real app and runs the same walk as plain Cypher in the same rounds, checking
 * that both reach the same CIs at the same depths. IMPACT_ROUNDS (default 15) measured rounds
 * after IMPACT_WARMUP (default 3); IMPACT_BREAKDOWN_ROUNDS (default 5, 0 to skip) in-process rounds.
 * IMPACT_REUSE_ESTATE=1 keeps an estate already loaded (same seed) instead of reloading it.
 * IMPACT_REQUEST_TIMEOUT_MS (default 120,000) fails the run when one API answer takes longer.
 */
export async function runImpactBench(client: Neo4jClient, catalog: Catalog, log: (m: string) => void): Promise<ImpactBenchResult> {
  const warmupRounds = Number(process.env.IMPACT_WARMUP ?? 3);
  const rounds = Number(process.env.IMPACT_ROUNDS ?? 15);
  const breakdownRounds = Number(process.env.IMPACT_BREAKDOWN_ROUNDS ?? 5);
  const timeoutMs = Number(process.env.IMPACT_REQUEST_TIMEOUT_MS ?? 120_000);

  let t = Date.now();
  const estate = generateImpactEstate(catalog);
  const generateMs = Date.now() - t;
  const counts = estateCounts(estate);
  log(`generated ${estate.cis.length} CIs and ${estate.relationships.length} relationships in ${generateMs} ms`);
  const loaded = process.env.IMPACT_REUSE_ESTATE === '1' && (await holdsEstate(client, estate.cis.length, estate.relationships.length))
    ? { cis: estate.cis.length, relationships: estate.relationships.length, ms: 0, starts: estate.starts }
    : (await wipe(client), await loadImpactEstate(client, catalog, estate, log));

  // Logging and metrics as in production: a JSON line per request (to a file), every metric observed.
  const logger = createLogger({ format: 'json', destination: pino.destination({ dest: join(projectRoot(), 'bench', 'results', 'impact-requests.log'), mkdir: true, sync: true }) });
  const app = await createApp({ client, catalog, logger });
  // A viewer token, as an ITSM dashboard would use: authentication is part of every measured request.
  const { token } = await app.tokens.create({ name: `bench-viewer-${Date.now()}`, role: 'viewer' }, 'bench');
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}/graphql`;
  const plain = plainImpactQuery(catalog, IMPACT_DEPTH);
  const samples: { start: ImpactStart; api: number; desk: number; cypher: number; affected: number }[] = [];
  const affectedOf = new Map<string, { affected: number; truncatedByDepth: boolean }>();
  let breakdownResult: ImpactBreakdown[] = [];
  t = Date.now();
  try {
    for (let round = 0; round < warmupRounds + rounds; round++) {
      for (const [i, start] of loaded.starts.entries()) {
        // Alternate which goes first, so neither always finds the other's pages and plans warm.
        let api: Awaited<ReturnType<typeof callApi>>;
        let cypher: Awaited<ReturnType<typeof callCypher>>;
        if ((round + i) % 2 === 0) {
          api = await callApi(url, token, start.id, timeoutMs);
          cypher = await callCypher(client, plain, start.id);
        } else {
          cypher = await callCypher(client, plain, start.id);
          api = await callApi(url, token, start.id, timeoutMs);
        }
        assertSameReach(start, api.reached, cypher.reached);
        const desk = await callDesk(url, token, start.id, timeoutMs);
        // Affected (not OK) CIs: fewer than those reached when redundancy holds some of them up.
        if (desk.totalCount > api.reached.length) throw new Error(`impact desk question for ${start.id}: ${desk.totalCount} affected of ${api.reached.length} reached`);
        affectedOf.set(start.id, { affected: api.reached.length, truncatedByDepth: api.truncated });
        if (round >= warmupRounds) samples.push({ start, api: api.ms, desk: desk.ms, cypher: cypher.ms, affected: api.reached.length });
      }
      log(`round ${round + 1}/${warmupRounds + rounds}${round < warmupRounds ? ' (warm-up)' : ''} done`);
    }
    if (breakdownRounds > 0) breakdownResult = await breakdown(client, catalog, loaded.starts, breakdownRounds);
  } finally {
    await app.stop();
  }
  const switches = loaded.starts.filter((s) => s.kind === 'coreSwitch').map((s) => s.id);
  const pod = loaded.starts.find((s) => s.kind === 'pod')!.id;
  const isolation = process.env.IMPACT_ISOLATION === '0' ? [] : await runIsolationBench(client, catalog, logger, switches, pod, log);
  const measureMs = Date.now() - t;
  return {
    estate: { cis: loaded.cis, relationships: loaded.relationships, cisByClass: counts.cis, relationshipsByType: counts.relationships, generateMs, loadMs: loaded.ms },
    depth: IMPACT_DEPTH,
    warmupRounds,
    rounds,
    starts: loaded.starts.map((s) => ({ ...s, affected: 0, truncatedByDepth: false, ...affectedOf.get(s.id) })),
    kinds: START_KINDS.map((kind) => summarize(kind, samples.filter((s) => s.start.kind === kind))),
    overall: summarize('all', samples),
    breakdown: breakdownResult,
    isolation,
    measureMs,
  };
}

/** The result as a table for the console. */
export function formatImpactResult(r: ImpactBenchResult): string[] {
  const f = (ms: number) => ms.toFixed(1).padStart(8);
  const lines = [
    `impact: ${r.estate.cis} CIs, ${r.estate.relationships} relationships (generated in ${r.estate.generateMs} ms, loaded in ${(r.estate.loadMs / 1000).toFixed(1)} s); depth ${r.depth}, ${r.rounds} rounds after ${r.warmupRounds} warm-up`,
    `  ${'start'.padEnd(11)} ${'CIs'.padStart(6)} ${'API p50'.padStart(8)} ${'API p95'.padStart(8)} ${'Cy p50'.padStart(8)} ${'Cy p95'.padStart(8)} ${'x p50'.padStart(6)} ${'x p95'.padStart(6)} ${'x pair'.padStart(6)} ${'desk p50'.padStart(8)} ${'x p50'.padStart(6)} ${'x p95'.padStart(6)}`,
  ];
  for (const k of [...r.kinds, r.overall]) {
    lines.push(`  ${k.kind.padEnd(11)} ${String(k.affectedAvg).padStart(6)} ${f(k.api.p50)} ${f(k.api.p95)} ${f(k.cypher.p50)} ${f(k.cypher.p95)} ${k.ratioP50.toFixed(2).padStart(6)} ${k.ratioP95.toFixed(2).padStart(6)} ${k.pairedRatioMedian.toFixed(2).padStart(6)} ${f(k.desk.p50)} ${k.deskRatioP50.toFixed(2).padStart(6)} ${k.deskRatioP95.toFixed(2).padStart(6)}`);
  }
  lines.push('  desk = services, counts, contacts and the first 50 affected CIs (the incident form\'s question)');
  if (r.breakdown.length) {
    lines.push('  in-process p50 (ms): ImpactService.impact = its queries + compute (API minus this = HTTP + GraphQL)');
    for (const b of r.breakdown) {
      lines.push(`  ${b.kind.padEnd(11)} service ${f(b.service)}  compute ${f(b.compute)}  ${b.queries.map((q) => `[${q.query.replace(/\s+/g, ' ').slice(0, 28)}] ${q.ms.toFixed(1)}`).join('  ')}`);
    }
  }
  for (const i of r.isolation) {
    lines.push(`  isolation, gate ${i.gate}: ci(id) p50/p95 ${i.idle.p50.toFixed(1)}/${i.idle.p95.toFixed(1)} ms idle, ${i.loaded.p50.toFixed(1)}/${i.loaded.p95.toFixed(1)} ms while ten core-switch impacts ran (${(i.impactsMs / 1000).toFixed(1)} s, ${i.impactsOk} answered, ${i.impactsRefused} refused); ratio p95 ${(i.loaded.p95 / i.idle.p95).toFixed(1)}`);
  }
  return lines;
}
