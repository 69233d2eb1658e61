/**
 * Alerts from monitoring, beside the graph like tickets: (:Alert {key: "<source>|<fingerprint>"})-[:ON]->(:CI).
 * An alert no binding rule placed has no ON edge and is listed as unbound. Labels, relationship types and keys
 * in these queries come from the binding rules, which were checked against the catalog.
 */
import neo4j from 'neo4j-driver';
import { Catalog } from '../model/catalog';
import { BindingRule } from '../events/binding-rules';
import { Neo4jClient } from './client';
import { attributeKey, classLabel, relType } from './cypher-names';

/** What an alert holds, as written and as read. */
interface AlertFields {
  source: string;
  fingerprint: string;
  status: 'FIRING' | 'RESOLVED';
  state: string;
  severity: string | null;
  summary: string | null;
  /** JSON text. */
  labels: string;
  annotations: string;
  startsAt: string | null;
  endsAt: string | null;
  generatorUrl: string | null;
  boundBy: string | null;
  unboundReason: string | null;
  ciId: string | null;
}

export interface AlertRow extends AlertFields {
  firstSeenAt: string;
  lastSeenAt: string;
}

export interface AlertWrite extends AlertFields {
  key: string;
}

// An alert whose CI was deleted since it was bound says so (DETACH DELETE took its ON edge).
const RETURN_ALERT = `RETURN a { .source, .fingerprint, .status, .state, .severity, .summary, .labels, .annotations, .startsAt, .endsAt, .generatorUrl,
  .firstSeenAt, .lastSeenAt, .boundBy, ciId: head([(a)-[:ON]->(c:CI) | c.id]),
  unboundReason: CASE WHEN a.boundBy IS NOT NULL AND NOT (a)-[:ON]->(:CI) THEN 'its CI was deleted after ' + a.boundBy + ' bound it' ELSE a.unboundReason END } AS a`;

/**
 * For each lookup (a value, and the `within` label's value when the rule has one), the ids of the CIs the rule
 * finds (up to 5, to tell one from several). One round trip for all lookups of a rule.
 */
export async function findForRule(client: Neo4jClient, catalog: Catalog, rule: BindingRule, lookups: { value: string; within: string | null }[]): Promise<string[][]> {
  if (!lookups.length) return [];
  const rows = lookups.map((l, i) => ({ i, value: l.value, within: l.within }));
  let cypher: string;
  if (rule.id) {
    cypher = 'UNWIND $rows AS row OPTIONAL MATCH (c:CI {id: row.value}) RETURN row.i AS i, collect(c.id) AS ids';
  } else {
    const match = rule.attributes.map((a) => `c.${attributeKey(catalog, a)} = row.value`).join(' OR ');
    const inside = rule.within ? `AND (row.within IS NULL OR EXISTS { MATCH (w:CI:${classLabel(catalog, rule.within.class)} {name: row.within})-[:CONTAINS*1..4]->(c) })` : '';
    const target = rule.follow ? `OPTIONAL MATCH (c)-[:${relType(catalog, rule.follow.type)}*1..3]->(t:CI:${classLabel(catalog, rule.follow.to)})` : 'WITH row, c, c AS t';
    cypher = `
      UNWIND $rows AS row
      OPTIONAL MATCH (c:CI:${classLabel(catalog, rule.class!)}) WHERE (${match}) ${inside}
      ${target}
      WITH row, collect(DISTINCT t.id) AS ids
      RETURN row.i AS i, ids[..5] AS ids`;
  }
  const r = await client.read(cypher, { rows });
  const out: string[][] = lookups.map(() => []);
  for (const x of r.records) out[x.get('i') as number] = (x.get('ids') as string[]).filter(Boolean);
  return out;
}

/**
 * Creates or updates alerts by key (one per source and fingerprint), and sets each one's CI. Returns, per key,
 * whether it was new and the status it had before.
 */
export async function upsertAlerts(client: Neo4jClient, alerts: AlertWrite[], now: string): Promise<Map<string, { created: boolean; before: string | null; beforeState: string | null; previousCiId: string | null }>> {
  const result = await client.write(`
    UNWIND $alerts AS row
    OPTIONAL MATCH (old:Alert {key: row.key})
    WITH row, old.status AS before, old.state AS beforeState, old IS NULL AS created
    MERGE (a:Alert {key: row.key})
      ON CREATE SET a.firstSeenAt = $now
    SET a.source = row.source, a.fingerprint = row.fingerprint, a.status = row.status, a.state = row.state, a.severity = row.severity,
        a.summary = row.summary, a.labels = row.labels, a.annotations = row.annotations, a.startsAt = row.startsAt, a.endsAt = row.endsAt,
        a.generatorUrl = row.generatorUrl, a.boundBy = row.boundBy, a.unboundReason = row.unboundReason, a.lastSeenAt = $now
    WITH a, row, before, beforeState, created
    OPTIONAL MATCH (a)-[on:ON]->(was:CI)
    WITH a, row, before, beforeState, created, on, was.id AS previousCiId
    // A re-sent alert keeps its edge: rewriting it would lock the CI on every group interval.
    FOREACH (_ IN CASE WHEN on IS NOT NULL AND previousCiId <> coalesce(row.ciId, '') THEN [1] ELSE [] END | DELETE on)
    WITH DISTINCT a, row, before, beforeState, created, previousCiId
    OPTIONAL MATCH (c:CI {id: row.ciId})
    FOREACH (_ IN CASE WHEN c IS NULL OR previousCiId = row.ciId THEN [] ELSE [1] END | MERGE (a)-[:ON]->(c))
    RETURN row.key AS key, created, before, beforeState, previousCiId`,
    // Locks taken in key order: two posts sharing alerts (Alertmanager groups overlap) then queue instead of deadlocking.
    { alerts: [...alerts].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0)), now });
  return new Map(result.records.map((r) => [r.get('key') as string, { created: r.get('created') as boolean, before: (r.get('before') as string | null) ?? null, beforeState: (r.get('beforeState') as string | null) ?? null, previousCiId: (r.get('previousCiId') as string | null) ?? null }]));
}

/** Open (firing) alerts on each of these CIs, newest first. */
export async function openAlertsOfCis(client: Neo4jClient, ciIds: readonly string[]): Promise<Map<string, AlertRow[]>> {
  const result = await client.read(`
    MATCH (a:Alert {status: 'FIRING'})-[:ON]->(c:CI) WHERE c.id IN $ciIds
    WITH a, c ORDER BY a.lastSeenAt DESC
    ${RETURN_ALERT}, c.id AS ciId`, { ciIds });
  const out = new Map<string, AlertRow[]>();
  for (const r of result.records) out.set(r.get('ciId') as string, [...(out.get(r.get('ciId') as string) ?? []), r.get('a') as AlertRow]);
  return out;
}

/** Alerts bound to no CI, newest first (resolved ones too, with `open` false, until they age out). */
export async function unboundAlerts(client: Neo4jClient, first: number, open: boolean | null): Promise<AlertRow[]> {
  const result = await client.read(`
    MATCH (a:Alert) WHERE NOT (a)-[:ON]->(:CI) AND ($open IS NULL OR (a.status = 'FIRING') = $open)
    WITH a ORDER BY a.lastSeenAt DESC LIMIT $first
    ${RETURN_ALERT}`, { first: neo4j.int(first), open });
  return result.records.map((r) => r.get('a') as AlertRow);
}

/** Which of these ids are CIs. */
export async function existingCiIds(client: Neo4jClient, ids: string[]): Promise<string[]> {
  if (!ids.length) return [];
  const r = await client.read('MATCH (c:CI) WHERE c.id IN $ids RETURN c.id AS id', { ids });
  return r.records.map((x) => x.get('id') as string);
}

/**
 * CIs that open alerts make DOWN or DEGRADED now, each with its worst state, whether it is in maintenance (its
 * lifecycle, or an open change whose planned window covers now) and that change's number.
 */
export async function failingCis(client: Neo4jClient, now: string): Promise<{ id: string; state: 'DOWN' | 'DEGRADED'; maintenance: boolean; change: string | null }[]> {
  const r = await client.read(`
    MATCH (a:Alert {status: 'FIRING'})-[:ON]->(c:CI) WHERE a.state IN ['DOWN', 'DEGRADED']
    WITH c, collect(DISTINCT a.state) AS states
    OPTIONAL MATCH (t:Ticket {kind: 'CHANGE', open: true})-[:CONCERNS]->(c) WHERE t.plannedStart <= $now AND t.plannedEnd >= $now
    WITH c, states, collect(t.number) AS changes
    RETURN c.id AS id, CASE WHEN 'DOWN' IN states THEN 'DOWN' ELSE 'DEGRADED' END AS state,
      c.lifecycleStatus = 'IN_MAINTENANCE' OR size(changes) > 0 AS maintenance, changes[0] AS change
    ORDER BY id`, { now });
  return r.records.map((x) => ({ id: x.get('id'), state: x.get('state'), maintenance: x.get('maintenance'), change: x.get('change') ?? null }));
}
