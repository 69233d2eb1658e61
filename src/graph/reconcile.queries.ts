import { ManagedTransaction, Node } from 'neo4j-driver';
import { assertionSourcePrefix, assertionStamp } from './assertion-stamp';
import { Catalog } from '../model/catalog';
import { StoredValue } from '../model/attribute-values';
import { Neo4jClient } from './client';
import { attributeKey, classLabel, relType } from './cypher-names';
import { ciLabels } from './ci.queries';
import { runWriteSteps, WriteStep } from './write-steps';

/*
 * Cypher of the reconciliation engine. Every function takes the caller's transaction: one
 * reconcile batch is one transaction, retried as a whole by executeWrite.
 */

export const LOCK_BUCKETS = 64;

/** Takes the identity-bucket locks in ascending order, so concurrent batches queue instead of deadlocking. */
export function lockIdentityBucketsStep(buckets: number[], now: string): WriteStep {
  return { cypher: (p) => `UNWIND ${p}.buckets AS b MERGE (l:ReconcileLock {bucket: b}) SET l.lockedAt = ${p}.now`, value: { buckets, now } };
}

export function lockIdentityBuckets(client: Neo4jClient, tx: ManagedTransaction, buckets: number[], now: string): Promise<void> {
  return runWriteSteps(client, tx, [lockIdentityBucketsStep(buckets, now)]);
}

export async function findByNativeKeys(client: Neo4jClient, tx: ManagedTransaction, rows: { ref: string; nkey: string }[]): Promise<Map<string, string>> {
  if (!rows.length) return new Map();
  const result = await client.run(tx,
    `UNWIND $rows AS row
     WITH row.ref AS ref, row.nkey AS nkey
     MATCH (s:SourceRecord {nkey: nkey})
     MATCH (c:CI {id: s.ciId})
     RETURN ref, c.id AS id`, { rows });
  return new Map(result.records.map((r) => [r.get('ref') as string, r.get('id') as string]));
}

/**
 * Values as map keys (v0, v1...), projected to plain variables before the MATCH, and an index
 * SEEK hint: the plan is cached from the first batch, planned on an empty graph, where the
 * planner otherwise prefers a full index scan per row (seen: 60M rows for 3,000 lookups).
 */
function seekableRows(rows: { ref: string; values: StoredValue[]; relatedId?: string }[]): Record<string, unknown>[] {
  return rows.map(({ ref, values, relatedId }) => ({ ref, relatedId: relatedId ?? null, ...Object.fromEntries(values.map((v, i) => [`v${i}`, v])) }));
}

export interface IdentifierQuery {
  /** The class whose CIs the rule searches (the rule's declaring class). */
  label: string;
  identifiers: string[];
  relatedVia: { type: string; direction: 'OUTGOING' | 'INCOMING' } | null;
  rows: { ref: string; values: StoredValue[]; relatedId?: string }[];
}

/** All CIs matching each row's identifier values. */
export async function findByIdentifiers(client: Neo4jClient, tx: ManagedTransaction, catalog: Catalog, q: IdentifierQuery): Promise<Map<string, string[]>> {
  return (await findByIdentifierGroups(client, tx, catalog, [q]))[0];
}

/** The same for several rule groups in one statement (one branch of a UNION per group); one map per group, in order. */
export async function findByIdentifierGroups(client: Neo4jClient, tx: ManagedTransaction, catalog: Catalog, queries: IdentifierQuery[]): Promise<Map<string, string[]>[]> {
  const found = queries.map(() => new Map<string, string[]>());
  const live = queries.flatMap((q, g) => (q.rows.length ? [{ q, g }] : []));
  if (!live.length) return found;
  const branches = live.map(({ q, g }) => {
    const where = q.identifiers.map((id, i) => `c.${attributeKey(catalog, id)} = v${i}`).join(' AND ');
    const project = q.identifiers.map((_, i) => `row.v${i} AS v${i}`).join(', ');
    let related = '';
    if (q.relatedVia) {
      const type = relType(catalog, q.relatedVia.type);
      related = q.relatedVia.direction === 'OUTGOING' ? `MATCH (c)-[:${type}]->(:CI {id: row.relatedId})` : `MATCH (c)<-[:${type}]-(:CI {id: row.relatedId})`;
    }
    return `UNWIND $g${g} AS row
     WITH row, ${project}
     MATCH (c:CI) USING INDEX SEEK c:CI(${attributeKey(catalog, q.identifiers[0])})
     WHERE ${where} AND c:${classLabel(catalog, q.label)}
     ${related}
     RETURN ${g} AS g, row.ref AS ref, collect(DISTINCT c.id) AS ids`;
  });
  const result = await client.run(tx, branches.join('\nUNION ALL\n'), Object.fromEntries(live.map(({ q, g }) => [`g${g}`, seekableRows(q.rows)])));
  for (const r of result.records) found[r.get('g') as number].set(r.get('ref') as string, r.get('ids') as string[]);
  return found;
}

/** CIs of class `label` related (either way) to a CI of `lookupLabel` with the given identifier values. */
export async function findByLookups(
  client: Neo4jClient, tx: ManagedTransaction, catalog: Catalog,
  q: { label: string; lookupLabel: string; identifiers: string[]; rows: { ref: string; values: StoredValue[] }[] },
): Promise<Map<string, string[]>> {
  if (!q.rows.length) return new Map();
  const where = q.identifiers.map((id, i) => `l.${attributeKey(catalog, id)} = v${i}`).join(' AND ');
  const project = q.identifiers.map((_, i) => `row.v${i} AS v${i}`).join(', ');
  const result = await client.run(tx,
    `UNWIND $rows AS row
     WITH row, ${project}
     MATCH (l:CI) USING INDEX SEEK l:CI(${attributeKey(catalog, q.identifiers[0])})
     WHERE ${where} AND l:${classLabel(catalog, q.lookupLabel)}
     MATCH (l)--(c:CI:${classLabel(catalog, q.label)})
     RETURN row.ref AS ref, collect(DISTINCT c.id) AS ids`, { rows: seekableRows(q.rows) });
  return new Map(result.records.map((r) => [r.get('ref') as string, r.get('ids') as string[]]));
}

/** Raw properties (including provenance) of the CIs a batch touches. */
export async function loadCiProperties(client: Neo4jClient, tx: ManagedTransaction, ids: string[]): Promise<Map<string, Record<string, unknown>>> {
  if (!ids.length) return new Map();
  const result = await client.run(tx, 'UNWIND $ids AS id MATCH (c:CI {id: id}) RETURN c', { ids });
  return new Map(result.records.map((r) => {
    const props = (r.get('c') as Node).properties as Record<string, unknown>;
    return [props.id as string, props];
  }));
}

export function createCisStep(catalog: Catalog, className: string, rows: Record<string, unknown>[]): WriteStep | null {
  if (!rows.length) return null;
  return { cypher: (p) => `UNWIND ${p} AS row CREATE (c${ciLabels(catalog, className)}) SET c = row`, value: rows };
}

export function updateCisStep(rows: { id: string; set: Record<string, unknown> }[]): WriteStep | null {
  if (!rows.length) return null;
  return { cypher: (p) => `UNWIND ${p} AS row WITH row, row.id AS id MATCH (c:CI {id: id}) SET c += row.set`, value: rows };
}

export function updateCiRows(client: Neo4jClient, tx: ManagedTransaction, rows: { id: string; set: Record<string, unknown> }[]): Promise<void> {
  return runWriteSteps(client, tx, [updateCisStep(rows)]);
}

/** Moves CIs down to a more specific class (a Server reported as a LinuxServer gains its labels). */
export function reclassifyCisStep(catalog: Catalog, className: string, ids: string[]): WriteStep | null {
  if (!ids.length) return null;
  return {
    cypher: (p) => `UNWIND ${p}.ids AS id MATCH (c:CI {id: id}) SET c${ciLabels(catalog, className).replace(':CI', '')}, c.class = ${p}.className`,
    value: { ids, className },
  };
}

export interface SourceRecordRow {
  key: string;
  source: string;
  ciId: string;
  nkey: string | null;
  scope: string;
  runId: string | null;
}

/** First records of CIs created in this batch (cannot exist yet, so CREATE rather than MERGE). */
export function insertSourceRecordsStep(rows: SourceRecordRow[], now: string): WriteStep | null {
  if (!rows.length) return null;
  return {
    cypher: (p) => `UNWIND ${p}.rows AS row
     CREATE (s:SourceRecord {key: row.key, source: row.source, ciId: row.ciId, firstSeenAt: ${p}.now, lastSeenAt: ${p}.now, scope: row.scope})
     SET s.nkey = row.nkey, s.lastRunId = row.runId`,
    value: { rows, now },
  };
}

/** Remembers that `source` reports each CI (and under which native key), for identification and stale handling. */
export function upsertSourceRecordsStep(rows: SourceRecordRow[], now: string): WriteStep | null {
  if (!rows.length) return null;
  return {
    cypher: (p) => `UNWIND ${p}.rows AS row
     WITH row, row.key AS key
     MERGE (s:SourceRecord {key: key})
     ON CREATE SET s.source = row.source, s.ciId = row.ciId, s.firstSeenAt = ${p}.now
     SET s.nkey = row.nkey, s.scope = row.scope, s.lastSeenAt = ${p}.now, s.lastRunId = row.runId, s.missingSince = null`,
    value: { rows, now },
  };
}

export interface AssertedEdgeRow { i: number; from: string; to: string }

/** Current assertions on existing edges, for dry runs and explanations. */
export async function findEdges(client: Neo4jClient, tx: ManagedTransaction, catalog: Catalog, type: string, rows: AssertedEdgeRow[]): Promise<Map<number, string[]>> {
  if (!rows.length) return new Map();
  const result = await client.run(tx,
    `UNWIND $rows AS row
     WITH row, row.from AS fromId, row.to AS toId
     MATCH (:CI {id: fromId})-[r:${relType(catalog, type)}]->(:CI {id: toId})
     RETURN row.i AS i, coalesce(r.sources, []) AS sources`, { rows });
  return new Map(result.records.map((r) => [r.get('i') as number, r.get('sources') as string[]]));
}

/**
 * Creates missing edges and records `source` as asserting each one (an edge lives while any
 * source asserts it). Returns per row whether the edge was created and whether the source already asserted it.
 */
export async function assertEdges(
  client: Neo4jClient, tx: ManagedTransaction, catalog: Catalog, type: string, rows: AssertedEdgeRow[],
  assertion: { source: string; scope: string; runId: string | null; now: string },
): Promise<Map<number, { created: boolean; alreadyAsserted: boolean }>> {
  if (!rows.length) return new Map();
  const result = await client.run(tx,
    `UNWIND $rows AS row
     WITH row, row.from AS fromId, row.to AS toId
     MATCH (a:CI {id: fromId}), (b:CI {id: toId})
     MERGE (a)-[r:${relType(catalog, type)}]->(b)
     ON CREATE SET r.createdAt = $now, r.isNew = true
     WITH row, r, coalesce(r.isNew, false) AS created, coalesce(r.sources, []) AS before
     REMOVE r.isNew
     SET r.assertions = [x IN coalesce(r.assertions, []) WHERE NOT x STARTS WITH $prefix] + [$stamp],
         r.sources = CASE WHEN $source IN before THEN before ELSE before + $source END,
         r.lastSeenAt = $now
     RETURN row.i AS i, created, $source IN before AS alreadyAsserted`,
    {
      rows,
      now: assertion.now,
      source: assertion.source,
      prefix: assertionSourcePrefix(assertion.source),
      stamp: assertionStamp(assertion.source, assertion.scope, assertion.runId, assertion.now),
    });
  return new Map(result.records.map((r) => [r.get('i') as number, { created: r.get('created') as boolean, alreadyAsserted: r.get('alreadyAsserted') as boolean }]));
}

/** Edges between two CIs created in this batch: new by construction. */
export function createEdgesStep(
  catalog: Catalog, type: string, rows: AssertedEdgeRow[], assertion: { source: string; scope: string; runId: string | null; now: string },
): WriteStep | null {
  if (!rows.length) return null;
  return {
    cypher: (p) => `UNWIND ${p}.rows AS row
     WITH row, row.from AS fromId, row.to AS toId
     MATCH (a:CI {id: fromId}), (b:CI {id: toId})
     CREATE (a)-[:${relType(catalog, type)} {createdAt: ${p}.now, lastSeenAt: ${p}.now, sources: [${p}.source], assertions: [${p}.stamp]}]->(b)`,
    value: { rows, now: assertion.now, source: assertion.source, stamp: assertionStamp(assertion.source, assertion.scope, assertion.runId, assertion.now) },
  };
}

export interface DuplicateRow {
  id: string;
  source: string;
  runId: string | null;
  ref: string;
  class: string;
  candidates: string[];
  values: string;
  at: string;
}

/** A MULTI_MATCH is never merged: the record is kept for the health report until resolved. */
export function duplicateRecordsStep(rows: DuplicateRow[]): WriteStep | null {
  if (!rows.length) return null;
  return { cypher: (p) => `UNWIND ${p} AS row CREATE (d:DuplicateRecord) SET d = row, d.status = 'OPEN'`, value: rows };
}
