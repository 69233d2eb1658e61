import { AddressInfo } from 'net';
import { randomUUID } from 'crypto';
import { performance } from 'perf_hooks';
import { Driver } from 'neo4j-driver';
import pino from 'pino';
import { ApolloServer } from '@apollo/server';
import { Neo4jGraphQL } from '@neo4j/graphql';
import { GraphQLSchema } from 'graphql';
import { Catalog } from '../src/model/catalog';
import { Neo4jClient } from '../src/graph/client';
import { createApp } from '../src/server/app';
import { encodeCursor } from '../src/services/ci-filter';
import { ensureImpactEstate } from './impact-load';
import { IMPACT_DEPTH, plainImpactQuery } from './impact.bench';
import { pageStarts } from './read.bench';
import { reconcileBatch } from './reconcile-data';
import { LatencyStats, latency, ratio } from './latency';
import { postGraphql } from './http-client';

/*
 * The CMDB side by side with @neo4j/graphql 7 (a dev dependency of this benchmark only; no @authentication or
 * @authorization rules are defined, as its 7.x releases carry an advisory on those) on the same Neo4j, the same
 * data and in the same run: ingest, a page of CIs with every relationship, and the impact traversal written as
 * a `@cypher` field, the way its users write one. Each answer is checked against the CMDB's before it counts.
 */

const camel = (type: string) => type.toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** The peer's type definitions: CI with the fields the workloads read, and one field per catalog relationship type and direction. */
export function peerTypeDefs(catalog: Catalog): string {
  const impact = plainImpactQuery(catalog, IMPACT_DEPTH).cypher
    .replace('MATCH (s:CI {id: $id})\nWITH s, [s] AS f0', 'WITH this AS s, [this] AS f0')
    .replace(/RETURN x\.id AS id, x\.name AS name, x\.class AS class, depth$/, 'RETURN x');
  const rels = [...catalog.relationshipTypes.keys()].flatMap((t) => [
    `${camel(t)}Out: [CI!]! @relationship(type: "${t}", direction: OUT)`,
    `${camel(t)}In: [CI!]! @relationship(type: "${t}", direction: IN)`,
  ]);
  return `type CI @node(labels: ["CI"]) {
  id: ID!
  name: String!
  class: String!
  environment: String
  owner: String
  hostname: String
  serialNumber: String
  domain: String
  osName: String
  osVersion: String
  cloudInstanceId: String
  powerState: String
  cpuCount: Int
  memoryGb: Int
  benchRun: String
  ${rels.join('\n  ')}
  impacted: [CI!]! @cypher(statement: """${impact}""", columnName: "x")
}`;
}

export interface PeerBenchResult {
  ingest: { cis: number; rawCisPerSecond: number; apiCisPerSecond: number; api500CisPerSecond: number; peerCisPerSecond: number; apiToRaw: number; peerToRaw: number; apiToPeer: number };
  read: { pages: number; rounds: number; raw: LatencyStats; api: LatencyStats; peer: LatencyStats; apiToRaw: number; apiToPeer: number; edgesPerPage: number };
  impact: { kind: string; affected: number; raw: LatencyStats; api: LatencyStats; peer: LatencyStats; apiToRaw: number; apiToPeer: number }[];
  statements: { apiPage: number; peerPage: number };
}

const ALL_RELS_PAGE = `query($after: String) { cis(first: 100, after: $after) { edges { node { id name class relationships(first: 1000) { type direction ci { id } } } } } }`;
const API_IMPACT = `query($input: ImpactInput!) { impact(input: $input) { affected { ci { id } } services { ci { name } severity } } }`;

/** Same set of (CI, type, direction, neighbour), whatever the order each side gives. */
const edgeSet = (rows: { id: string; rels: { type: string; direction: string; to: string }[] }[]) =>
  rows.flatMap((r) => r.rels.map((e) => `${r.id} ${e.direction} ${e.type} ${e.to}`)).sort().join('\n');

/** A driver that counts the Cypher statements run through it (sessions and their transactions). */
function countingDriver(driver: Driver, count: { statements: number }): Driver {
  const countRuns = <T extends object>(target: T): T => new Proxy(target, {
    get(t, key, receiver) {
      const value = Reflect.get(t, key, receiver);
      if (typeof value !== 'function') return value;
      if (key === 'run') return (...args: unknown[]) => { count.statements += 1; return (value as (...a: unknown[]) => unknown).apply(t, args); };
      if (key === 'executeRead' || key === 'executeWrite') {
        return (work: (tx: object) => unknown, ...rest: unknown[]) => (value as (...a: unknown[]) => unknown).call(t, (tx: object) => work(countRuns(tx)), ...rest);
      }
      if (key === 'beginTransaction') return (...args: unknown[]) => countRuns((value as (...a: unknown[]) => object).apply(t, args));
      return value.bind(t);
    },
  });
  return new Proxy(driver, {
    get(t, key, receiver) {
      const value = Reflect.get(t, key, receiver);
      if (key === 'session') return (...args: unknown[]) => countRuns((value as (...a: unknown[]) => object).apply(t, args));
      return typeof value === 'function' ? value.bind(t) : value;
    },
  });
}

export async function runPeerBench(sharedClient: Neo4jClient, catalog: Catalog, log: (m: string) => void): Promise<PeerBenchResult> {
  const counted = { statements: 0 };
  const driver = countingDriver(sharedClient.driver, counted);
  const client = new Neo4jClient(driver, sharedClient.database);
  const pages = Number(process.env.READ_PAGES ?? 20);
  const rounds = Number(process.env.READ_ROUNDS ?? 10);
  const impactRounds = Number(process.env.IMPACT_ROUNDS ?? 10);
  const estate = await ensureImpactEstate(client, catalog, log);
  // The page with every relationship asks up to 1,000 per CI: above the default cost limit, as an operator may configure.
  const app = await createApp({ client, catalog, logger: pino({ level: 'silent' }), limits: { cost: 2_000_000 } });
  const { token } = await app.tokens.create({ name: `bench-peer-${Date.now()}`, role: 'admin' }, 'bench');
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}/graphql`;
  const api = async <T>(query: string, variables: Record<string, unknown>): Promise<T> => {
    const { body } = await postGraphql<{ data?: T; errors?: unknown[] }>(url, token, query, variables);
    if (!body.data || body.errors) throw new Error(`CMDB: ${JSON.stringify(body.errors).slice(0, 500)}`);
    return body.data;
  };

  // The peer on the same driver settings, served by Apollo over HTTP like the CMDB.
  const peerSchema: GraphQLSchema = await new Neo4jGraphQL({ typeDefs: peerTypeDefs(catalog), driver, features: { filters: { String: { GT: true } } } }).getSchema();
  const peerServer = new ApolloServer({ schema: peerSchema });
  const { startStandaloneServer } = await import('@apollo/server/standalone');
  const { url: peerUrl } = await startStandaloneServer(peerServer, { listen: { port: 0, host: '127.0.0.1' } });
  const peer = async <T>(query: string, variables: Record<string, unknown>): Promise<T> => {
    const { body } = await postGraphql<{ data?: T; errors?: unknown[] }>(peerUrl, '', query, variables);
    if (!body.data || body.errors) throw new Error(`@neo4j/graphql: ${JSON.stringify(body.errors).slice(0, 500)}`);
    return body.data;
  };
  const relFields = [...catalog.relationshipTypes.keys()].flatMap((t) => [[`${camel(t)}Out`, t, 'OUTGOING'], [`${camel(t)}In`, t, 'INCOMING']]);

  try {
    // --- Ingest: the same 5,000 CIs three ways, in batches of 100 (the peer's createCis, the CMDB's reconcile with a totals-and-errors selection, UNWIND MERGE).
    const items = reconcileBatch(0).items;
    const chunk = <T>(xs: T[], n: number) => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));
    const run = `peer-${Date.now()}`;
    const props = (it: (typeof items)[number], prefix: string) => ({ id: randomUUID(), name: `${prefix}-${String(it.attributes.hostname)}`, class: it.class, benchRun: run, ...it.attributes });
    const timedIngest = async (fn: (batch: typeof items) => Promise<void>, size = 100) => {
      const t = performance.now();
      for (const batch of chunk(items, size)) await fn(batch);
      return items.length / ((performance.now() - t) / 1000);
    };
    // Each side starts from the estate alone: what one wrote is removed before the next writes.
    const rawCisPerSecond = await timedIngest(async (batch) => {
      await client.write(`UNWIND $rows AS row MERGE (c:CI {id: row.id}) SET c += row`, { rows: batch.map((it) => props(it, 'raw')) });
    });
    await cleanIngest(client, run);
    const peerCisPerSecond = await timedIngest(async (batch) => {
      await peer(`mutation($input: [CICreateInput!]!) { createCis(input: $input) { info { nodesCreated } } }`, { input: batch.map((it) => props(it, 'peer')) });
    });
    await cleanIngest(client, run);
    const reconcileBatches = async (batch: typeof items) => {
      const input = { source: 'bench-peer', items: batch.map((it) => ({ ref: it.ref, class: it.class, name: `api-${String(it.attributes.hostname)}`, attributes: it.attributes })) };
      const d = await api<{ reconcile: { totals: { created: number; errors: number } } }>(`mutation($input: ReconcileInput!) { reconcile(input: $input) { totals { created errors } } }`, { input });
      if (d.reconcile.totals.created !== batch.length) throw new Error(`reconcile created ${d.reconcile.totals.created} of ${batch.length} (${d.reconcile.totals.errors} errors)`);
    };
    await api(`mutation { registerSource(input: { name: "bench-peer", kind: DISCOVERY, priority: 50 }) { name } }`, {});
    const apiCisPerSecond = await timedIngest(reconcileBatches);
    await cleanIngest(client, run);
    // The connectors' batch size.
    await api(`mutation { registerSource(input: { name: "bench-peer", kind: DISCOVERY, priority: 50 }) { name } }`, {});
    const api500CisPerSecond = await timedIngest(reconcileBatches, 500);
    log(`peer ingest: raw ${rawCisPerSecond.toFixed(0)}, CMDB ${apiCisPerSecond.toFixed(0)} (${api500CisPerSecond.toFixed(0)} in batches of 500), peer ${peerCisPerSecond.toFixed(0)} CIs/s`);
    await cleanIngest(client, run);

    // --- Read: a page of 100 CIs with every relationship and the neighbour's id.
    const starts = await pageStarts(client, pages);
    const rawPage = async (at: { name: string; id: string }) => {
      const r = await client.read(
        `MATCH (c:CI) WHERE c.name > $after WITH c ORDER BY c.name, c.id LIMIT 100
         CALL (c) { MATCH (c)-[r]-(o:CI) RETURN collect({type: type(r), direction: CASE WHEN startNode(r) = c THEN 'OUTGOING' ELSE 'INCOMING' END, to: o.id}) AS rels }
         RETURN c.id AS id, rels`, { after: at.name });
      return r.records.map((x) => ({ id: x.get('id') as string, rels: x.get('rels') as { type: string; direction: string; to: string }[] }));
    };
    const apiPage = async (at: { name: string; id: string }) => {
      const d = await api<{ cis: { edges: { node: { id: string; relationships: { type: string; direction: string; ci: { id: string } }[] } }[] } }>(ALL_RELS_PAGE, { after: encodeCursor({ name: at.name, id: '\uffff' }) });
      return d.cis.edges.map((e) => ({ id: e.node.id, rels: e.node.relationships.map((x) => ({ type: x.type, direction: x.direction, to: x.ci.id })) }));
    };
    const peerQuery = `query($after: String!) { cis(where: { name: { gt: $after } }, sort: [{ name: ASC }, { id: ASC }], limit: 100) { id name class ${relFields.map(([f]) => `${f} { id }`).join(' ')} } }`;
    const peerPage = async (at: { name: string; id: string }) => {
      const d = await peer<{ cis: Record<string, unknown>[] }>(peerQuery, { after: at.name });
      return d.cis.map((c) => ({ id: c.id as string, rels: relFields.flatMap(([f, type, direction]) => (c[f] as { id: string }[]).map((o) => ({ type, direction, to: o.id }))) }));
    };
    const read = { raw: [] as number[], api: [] as number[], peer: [] as number[] };
    let edges = 0;
    for (let round = 0; round < rounds + 1; round++) {
      for (const at of starts) {
        const answers: Record<string, string> = {};
        for (const [name, fn] of Object.entries({ raw: rawPage, api: apiPage, peer: peerPage })) {
          const t = performance.now();
          const rows = await fn(at);
          if (round > 0) read[name as keyof typeof read].push(performance.now() - t);
          else answers[name] = edgeSet(rows);
        }
        if (round === 0) {
          if (answers.api !== answers.raw || answers.peer !== answers.raw) throw new Error(`the page after ${at.name} differs between the raw query, the CMDB and the peer`);
          edges += answers.raw.split('\n').length;
        }
      }
    }
    // Statements one page costs each side, counted at the driver (the CMDB's token check is cached by then).
    const statementsOf = async (fn: () => Promise<unknown>) => {
      const before = counted.statements;
      await fn();
      return counted.statements - before;
    };
    const statements = { apiPage: await statementsOf(() => apiPage(starts[0])), peerPage: await statementsOf(() => peerPage(starts[0])) };

    // --- Impact: the same walk, the CMDB's impact against the peer's @cypher field and the raw query.
    const plain = plainImpactQuery(catalog, IMPACT_DEPTH);
    const impact: PeerBenchResult['impact'] = [];
    for (const kind of [...new Set(estate.starts.map((s) => s.kind))]) {
      const ofKind = estate.starts.filter((s) => s.kind === kind);
      const samples = { raw: [] as number[], api: [] as number[], peer: [] as number[] };
      let affected = 0;
      for (let round = 0; round < impactRounds + 1; round++) {
        for (const start of ofKind) {
          const t0 = performance.now();
          const raw = await client.read(plain.cypher, { id: start.id });
          const t1 = performance.now();
          const mine = await api<{ impact: { affected: { ci: { id: string } }[] } }>(API_IMPACT, { input: { ciIds: [start.id], maxDepth: IMPACT_DEPTH, limit: 50_000 } });
          const t2 = performance.now();
          const theirs = await peer<{ cis: { impacted: { id: string }[] }[] }>(`query($id: ID!) { cis(where: { id: { eq: $id } }) { impacted { id } } }`, { id: start.id });
          const t3 = performance.now();
          if (round === 0) {
            const a = raw.records.map((r) => r.get('id') as string).sort().join();
            const b = mine.impact.affected.map((x) => x.ci.id).sort().join();
            const c = [...new Set(theirs.cis[0].impacted.map((x) => x.id))].filter((id) => id !== start.id).sort().join();
            if (a !== b || a !== c) throw new Error(`impact of ${start.name} differs between the raw query, the CMDB and the peer`);
            affected += raw.records.length;
          } else {
            samples.raw.push(t1 - t0);
            samples.api.push(t2 - t1);
            samples.peer.push(t3 - t2);
          }
        }
      }
      const [raw, apiStats, peerStats] = [latency(samples.raw), latency(samples.api), latency(samples.peer)];
      impact.push({ kind, affected: Math.round(affected / ofKind.length), raw, api: apiStats, peer: peerStats, apiToRaw: ratio(apiStats.p50, raw.p50), apiToPeer: ratio(apiStats.p50, peerStats.p50) });
      log(`peer impact ${kind}: raw ${raw.p50.toFixed(1)}, CMDB ${apiStats.p50.toFixed(1)}, peer ${peerStats.p50.toFixed(1)} ms p50`);
    }
    const [raw, apiStats, peerStats] = [latency(read.raw), latency(read.api), latency(read.peer)];
    return {
      ingest: { cis: items.length, rawCisPerSecond, apiCisPerSecond, api500CisPerSecond, peerCisPerSecond, apiToRaw: apiCisPerSecond / rawCisPerSecond, peerToRaw: peerCisPerSecond / rawCisPerSecond, apiToPeer: apiCisPerSecond / peerCisPerSecond },
      read: { pages, rounds, raw, api: apiStats, peer: peerStats, apiToRaw: ratio(apiStats.p50, raw.p50), apiToPeer: ratio(apiStats.p50, peerStats.p50), edgesPerPage: edges / starts.length },
      impact,
      statements,
    };
  } finally {
    await peerServer.stop();
    await app.stop();
  }
}

/** Removes what the ingest comparison wrote, so the estate stays the impact estate. */
async function cleanIngest(client: Neo4jClient, run: string): Promise<void> {
  const ids = await client.read(`MATCH (s:SourceRecord {source: 'bench-peer'}) RETURN collect(s.ciId) AS ids`);
  await client.write(`MATCH (c:CI) WHERE c.benchRun = $run OR c.id IN $ids DETACH DELETE c`, { run, ids: ids.records[0].get('ids') });
  await client.write(`MATCH (h:ChangeRecord) WHERE h.ciId IN $ids DELETE h`, { ids: ids.records[0].get('ids') });
  await client.write(`MATCH (n) WHERE (n:SourceRecord OR n:SyncRun) AND n.source = 'bench-peer' DETACH DELETE n`);
  await client.write(`MATCH (d:DataSource {name: 'bench-peer'}) DETACH DELETE d`);
  await client.write(`MATCH (x:DuplicateRecord {source: 'bench-peer'}) DELETE x`);
}

export function formatPeerResult(r: PeerBenchResult): string[] {
  const f = (s: LatencyStats) => `${s.p50.toFixed(1)} / ${s.p95.toFixed(1)} ms`;
  return [
    `peer: @neo4j/graphql 7.6.3 on the same Neo4j and data (p50 / p95)`,
    `  ingest ${r.ingest.cis} CIs in mutations of 100: raw UNWIND MERGE ${r.ingest.rawCisPerSecond.toFixed(0)} CIs/s, CMDB reconcile ${r.ingest.apiCisPerSecond.toFixed(0)} (${r.ingest.apiToRaw.toFixed(2)} of raw; ${r.ingest.api500CisPerSecond.toFixed(0)} in the connectors' batches of 500), peer createCis ${r.ingest.peerCisPerSecond.toFixed(0)} (${r.ingest.peerToRaw.toFixed(2)} of raw); CMDB/peer ${r.ingest.apiToPeer.toFixed(2)}`,
    `  read page (100 CIs, every relationship, ${r.read.edgesPerPage.toFixed(0)} edges): raw ${f(r.read.raw)}, CMDB ${f(r.read.api)}, peer ${f(r.read.peer)}; CMDB/raw ${r.read.apiToRaw.toFixed(2)}, CMDB/peer ${r.read.apiToPeer.toFixed(2)}`,
    `  Cypher statements for one page, counted at the driver: CMDB ${r.statements.apiPage} (the token check is cached), peer ${r.statements.peerPage}`,
    ...r.impact.map((i) => `  impact ${i.kind.padEnd(10)} (${i.affected} CIs): raw ${f(i.raw)}, CMDB ${f(i.api)}, peer @cypher ${f(i.peer)}; CMDB/raw ${i.apiToRaw.toFixed(2)}, CMDB/peer ${i.apiToPeer.toFixed(2)}`),
  ];
}
