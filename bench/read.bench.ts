import { AddressInfo } from 'net';
import { performance } from 'perf_hooks';
import neo4j from 'neo4j-driver';
import pino from 'pino';
import { Catalog } from '../src/model/catalog';
import { Neo4jClient } from '../src/graph/client';
import { createApp } from '../src/server/app';
import { createLogger } from '../src/observability/logger';
import { encodeCursor } from '../src/services/ci-filter';
import { ensureImpactEstate } from './impact-load';
import { LatencyStats, latency, ratio } from './latency';
import { postGraphql } from './http-client';

export const READ_PAGE = 100;
export const READ_RELATIONSHIPS = 20;

/** A page of CIs with their relationships and the neighbour at the other end, as an ITSM form or the explorer asks. */
export const READ_QUERY = `query($after: String) {
  cis(first: ${READ_PAGE}, after: $after) {
    edges { node { id name class environment owner relationships(first: ${READ_RELATIONSHIPS}) { type direction ci { id name class } } } }
    pageInfo { endCursor hasNextPage }
  }
}`;

/** The same page as one hand-written Cypher statement, in the API's order (CIs by name and id; edges by type, neighbour name and id). */
export const RAW_READ_QUERY = `MATCH (c:CI) WHERE c.name >= $afterName AND (c.name > $afterName OR c.id > $afterId)
WITH c ORDER BY c.name, c.id LIMIT $limit
CALL (c) {
  MATCH (c)-[r]-(o:CI)
  WITH r, o ORDER BY type(r), o.name, o.id LIMIT $rels
  RETURN collect({type: type(r), direction: CASE WHEN startNode(r) = c THEN 'OUTGOING' ELSE 'INCOMING' END, ci: o {.id, .name, .class}}) AS relationships
}
RETURN c.id AS id, c.name AS name, c.class AS class, c.environment AS environment, c.owner AS owner, relationships`;

export interface PageRow {
  id: string;
  name: string;
  class: string;
  environment: string | null;
  owner: string | null;
  relationships: { type: string; direction: string; ci: { id: string; name: string; class: string } }[];
}

export interface ReadBenchResult {
  estate: { cis: number; relationships: number };
  pages: number;
  rounds: number;
  api: LatencyStats;
  raw: LatencyStats;
  ratioP50: number;
  /** Relationships per page, on average. */
  relationshipsPerPage: number;
}

export async function rawPage(client: Neo4jClient, after: { name: string; id: string }): Promise<PageRow[]> {
  const result = await client.read(RAW_READ_QUERY, { afterName: after.name, afterId: after.id, limit: neo4j.int(READ_PAGE), rels: neo4j.int(READ_RELATIONSHIPS) });
  // Plain objects in the API's field order, so the two answers compare as JSON.
  return result.records.map((r) => ({
    id: r.get('id'), name: r.get('name'), class: r.get('class'), environment: r.get('environment'), owner: r.get('owner'),
    relationships: (r.get('relationships') as PageRow['relationships']).map((x) => ({ type: x.type, direction: x.direction, ci: { id: x.ci.id, name: x.ci.name, class: x.ci.class } })),
  }));
}

/** Start positions spread over the estate: the (name, id) of every n-th CI, so no two pages overlap. */
export async function pageStarts(client: Neo4jClient, pages: number): Promise<{ name: string; id: string }[]> {
  const r = await client.read(
    `MATCH (c:CI) WITH c ORDER BY c.name, c.id WITH collect(c {.name, .id}) AS ordered
     WITH ordered, size(ordered) / $pages AS step UNWIND range(0, $pages - 1) AS i RETURN ordered[i * step] AS at`,
    { pages: neo4j.int(pages) },
  );
  return r.records.map((x) => x.get('at') as { name: string; id: string });
}

/**
 * A page of 100 CIs with up to 20 relationships each and their neighbours, through the GraphQL endpoint with a viewer
 * token, against the same page as one Cypher statement through the driver, alternating which goes first.
 * READ_PAGES (default 20) distinct pages, READ_ROUNDS (default 10) after 2 warm-up rounds.
 */
export async function runReadBench(client: Neo4jClient, catalog: Catalog, log: (m: string) => void): Promise<ReadBenchResult> {
  const pages = Number(process.env.READ_PAGES ?? 20);
  const rounds = Number(process.env.READ_ROUNDS ?? 10);
  const estate = await ensureImpactEstate(client, catalog, log);
  const starts = await pageStarts(client, pages);
  const app = await createApp({ client, catalog, logger: createLogger({ format: 'json', destination: pino.destination('/dev/null') }) });
  const { token } = await app.tokens.create({ name: `bench-read-${Date.now()}`, role: 'viewer' }, 'bench');
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}/graphql`;
  const apiPage = async (after: { name: string; id: string }): Promise<PageRow[]> => {
    const { body } = await postGraphql<{ data?: { cis: { edges: { node: PageRow }[] } }; errors?: unknown[] }>(url, token, READ_QUERY, { after: encodeCursor(after) });
    if (!body.data) throw new Error(`cis page failed: ${JSON.stringify(body.errors)}`);
    return body.data.cis.edges.map((e) => e.node);
  };
  const apiMs: number[] = [];
  const rawMs: number[] = [];
  let relationships = 0;
  try {
    for (let round = 0; round < rounds + 2; round++) {
      for (const [i, at] of starts.entries()) {
        const pair: Record<'api' | 'raw', { ms: number; rows: PageRow[] }> = {} as never;
        for (const which of (round + i) % 2 ? (['api', 'raw'] as const) : (['raw', 'api'] as const)) {
          const t = performance.now();
          const rows = which === 'api' ? await apiPage(at) : await rawPage(client, at);
          pair[which] = { ms: performance.now() - t, rows };
        }
        if (round === 0) {
          // Both must answer the same CIs with the same edges to the same neighbours, in the same order.
          const a = JSON.stringify(pair.api.rows);
          const b = JSON.stringify(pair.raw.rows);
          if (a !== b) throw new Error(`the API and the raw query disagree on the page after ${at.name}: ${a.slice(0, 300)} vs ${b.slice(0, 300)}`);
          relationships += pair.raw.rows.reduce((n, r) => n + r.relationships.length, 0);
        }
        if (round >= 2) {
          apiMs.push(pair.api.ms);
          rawMs.push(pair.raw.ms);
        }
      }
    }
  } finally {
    await app.stop();
  }
  const api = latency(apiMs);
  const raw = latency(rawMs);
  log(`read: API p50 ${api.p50.toFixed(1)} ms, raw p50 ${raw.p50.toFixed(1)} ms`);
  return { estate: { cis: estate.cis.length, relationships: estate.relationships.length }, pages, rounds, api, raw, ratioP50: ratio(api.p50, raw.p50), relationshipsPerPage: relationships / starts.length };
}

export function formatReadResult(r: ReadBenchResult): string[] {
  return [
    `read: a page of ${READ_PAGE} CIs with up to ${READ_RELATIONSHIPS} relationships and neighbours each (${r.relationshipsPerPage.toFixed(0)} edges per page), ${r.pages} pages x ${r.rounds} rounds, on ${r.estate.cis} CIs`,
    `  raw Cypher (one statement, driver):  p50 ${r.raw.p50.toFixed(1)} ms, p95 ${r.raw.p95.toFixed(1)} ms`,
    `  API (GraphQL over HTTP, viewer):     p50 ${r.api.p50.toFixed(1)} ms, p95 ${r.api.p95.toFixed(1)} ms`,
    `  ratio API/raw at p50:                ${r.ratioP50.toFixed(2)} (target <= 1.25)`,
  ];
}
