import { Catalog } from '../src/model/catalog';
import { Neo4jClient } from '../src/graph/client';
import { ciLabels } from '../src/graph/ci.queries';
import { relType } from '../src/graph/cypher-names';
import { ensureSchema } from '../src/graph/schema-bootstrap';
import { ESTATE_CREATED_AT, EstateCi, EstateRel, generateImpactEstate, ImpactEstate, ImpactStart } from './impact-data';
import { wipe } from './bench-neo4j';

/** Rows per write transaction. */
export const LOAD_BATCH = 10_000;

export interface LoadedEstate {
  cis: number;
  relationships: number;
  ms: number;
  /** The CIs the measured impact questions start from. */
  starts: ImpactStart[];
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Writes the estate into an empty database with bulk `UNWIND ... CREATE`: one query shape per class
 * (labels :CI plus the class's ancestry) and per relationship type, in batches of LOAD_BATCH rows.
 * The estate is synthetic and new, so it bypasses reconciliation (no identification, provenance or
 * history); edges carry what the engine's own edges carry for impact: createdAt and sources.
 */
export async function loadImpactEstate(client: Neo4jClient, catalog: Catalog, estate: ImpactEstate, log: (m: string) => void): Promise<LoadedEstate> {
  const t = Date.now();
  await ensureSchema(client, catalog);
  const byClass = groupBy<EstateCi>(estate.cis, (c) => c.class);
  for (const [className, cis] of byClass) {
    const query = `UNWIND $rows AS row CREATE (c${ciLabels(catalog, className)}) SET c = row`;
    for (const batch of chunks(cis, LOAD_BATCH)) await client.write(query, { rows: batch.map((c) => c.props) });
  }
  log(`loaded ${estate.cis.length} CIs in ${Date.now() - t} ms`);
  const byType = groupBy<EstateRel>(estate.relationships, (r) => r.type);
  for (const [type, rels] of byType) {
    const query = `UNWIND $rows AS row
       MATCH (a:CI {id: row.from})
       MATCH (b:CI {id: row.to})
       CREATE (a)-[:${relType(catalog, type)} {createdAt: $now, lastSeenAt: $now, sources: ['bench']}]->(b)`;
    for (const batch of chunks(rels, LOAD_BATCH)) await client.write(query, { rows: batch.map((r) => ({ from: r.from, to: r.to })), now: ESTATE_CREATED_AT });
  }
  const ms = Date.now() - t;
  const { cis, relationships } = await countEstate(client);
  if (cis !== estate.cis.length || relationships !== estate.relationships.length) {
    throw new Error(`loaded ${cis} CIs and ${relationships} relationships, expected ${estate.cis.length} and ${estate.relationships.length}`);
  }
  log(`loaded ${cis} CIs and ${relationships} relationships in ${ms} ms`);
  return { cis, relationships, ms, starts: estate.starts };
}

async function countEstate(client: Neo4jClient): Promise<{ cis: number; relationships: number }> {
  const r = await client.read('MATCH (c:CI) WITH count(c) AS cis CALL () { MATCH (:CI)-[r]->(:CI) RETURN count(r) AS rels } RETURN cis, rels');
  return { cis: r.records[0].get('cis') as number, relationships: r.records[0].get('rels') as number };
}

/** Whether the database already holds an estate of this size (IMPACT_REUSE_ESTATE=1 then skips the load). */
export async function holdsEstate(client: Neo4jClient, cis: number, relationships: number): Promise<boolean> {
  const held = await countEstate(client);
  return held.cis === cis && held.relationships === relationships;
}

/** The impact estate, generated, and loaded unless IMPACT_REUSE_ESTATE=1 finds it already in the database. */
export async function ensureImpactEstate(client: Neo4jClient, catalog: Catalog, log: (m: string) => void): Promise<ImpactEstate> {
  const estate = generateImpactEstate(catalog);
  if (!(process.env.IMPACT_REUSE_ESTATE === '1' && (await holdsEstate(client, estate.cis.length, estate.relationships.length)))) {
    await wipe(client);
    await loadImpactEstate(client, catalog, estate, log);
  }
  return estate;
}
