import neo4j from 'neo4j-driver';
import { Catalog } from '../model/catalog';
import { Neo4jClient } from './client';
import { attributeKey, classLabel, relType } from './cypher-names';

/*
 * Read-only measures for the health report, one round trip each. Completeness and staleness pass class and
 * attribute names as parameter values (`c[attribute]`) and scan the CIs once, grouping by `c.class`, so they keep
 * one shape whatever the scope. The orphan test writes the catalog's relationship types into its patterns, where
 * Neo4j can answer them from degree counts; the collision query writes each rule's class label and identifier keys
 * into a branch of its own, where Neo4j groups plain values over the rule's CIs (one shape per set of rules, so per
 * class filter).
 */

/** Per concrete class: how many CIs, and how many of them fill each expected attribute. */
export interface AttributeFillRow {
  className: string;
  ciCount: number;
  filled: Map<string, number>;
}

/**
 * Counts CIs per class and, for each attribute listed for their exact class in `expectedByClass`,
 * the CIs where it is not null. Classes missing from the map are not counted.
 */
export async function countAttributeFill(client: Neo4jClient, expectedByClass: Record<string, string[]>): Promise<AttributeFillRow[]> {
  const result = await client.read(
    `MATCH (c:CI) WHERE c.class IN $classNames
     UNWIND [null] + $expectedByClass[c.class] AS attribute
     WITH c.class AS class, attribute, count(*) AS ciCount,
          count(CASE WHEN attribute IS NOT NULL THEN c[attribute] END) AS filled
     RETURN class, max(ciCount) AS ciCount,
            [x IN collect({attribute: attribute, filled: filled}) WHERE x.attribute IS NOT NULL] AS fills
     ORDER BY class`,
    { classNames: Object.keys(expectedByClass), expectedByClass },
  );
  return result.records.map((r) => ({
    className: r.get('class') as string,
    ciCount: r.get('ciCount') as number,
    filled: new Map((r.get('fills') as { attribute: string; filled: number }[]).map((f) => [f.attribute, f.filled])),
  }));
}

/** A MULTI_MATCH the reconciliation recorded and nobody resolved yet. */
export interface OpenDuplicateRow {
  id: string;
  ref: string;
  class: string;
  source: string;
  runId: string | null;
  candidates: string[];
  at: string;
}

/** Open duplicate records of these classes: the count per class and the `limit` latest. */
export async function findOpenDuplicates(client: Neo4jClient, classNames: string[], limit: number): Promise<{ byClass: Map<string, number>; latest: OpenDuplicateRow[] }> {
  const result = await client.read(
    `RETURN COLLECT {
         MATCH (d:DuplicateRecord {status: 'OPEN'}) WHERE d.class IN $classNames
         WITH d.class AS class, count(*) AS n
         RETURN {class: class, count: n}
       } AS byClass,
       COLLECT {
         MATCH (d:DuplicateRecord {status: 'OPEN'}) WHERE d.class IN $classNames
         RETURN d {.id, .ref, .class, .source, .runId, .candidates, .at} AS d ORDER BY d.at DESC, d.id LIMIT $limit
       } AS latest`,
    { classNames, limit: neo4j.int(limit) },
  );
  const rec = result.records[0];
  const byClass = new Map((rec.get('byClass') as { class: string; count: number }[]).map((x) => [x.class, x.count]));
  const latest = (rec.get('latest') as OpenDuplicateRow[]).map((d) => ({ ...d, runId: d.runId ?? null, candidates: d.candidates ?? [] }));
  return { byClass, latest };
}

/** An identification rule as the collision query sees it; `key` names it uniquely. */
export interface CollisionRule {
  key: string;
  /** The class that declares it: the rule searches the CIs of that class and its subclasses, as identification does. */
  declaredBy: string;
  identifiers: string[];
}

export interface CollisionGroupRow {
  ruleKey: string;
  values: unknown[];
  ciIds: string[];
  classes: string[];
}

/**
 * Groups of two or more CIs that share all identifier values of a rule; only groups with a CI of a class in
 * `scopeClasses` count. Returns the number of groups per scope class, the total and the first `limit` groups.
 *
 * One branch per rule reads the CIs with the declaring class's label (the set identification searches) and counts
 * them by their identifier values; only values held more than once are looked up again, by index, for their CIs,
 * in id order (a group's classes are listed in the order of their first CI: the index returns equal keys in no
 * order of ours).
 * One scan of every CI with the rules unwound per CI, grouped by (rule, values) lists and collecting ids for every
 * group, cost three times as much (173,577 groups on the 103,321-CI estate: 550 to 650 ms, now about 200).
 */
export async function findIdentifierCollisions(
  client: Neo4jClient,
  catalog: Catalog,
  rules: CollisionRule[],
  scopeClasses: string[],
  limit: number,
): Promise<{ total: number; byClass: Map<string, number>; groups: CollisionGroupRow[] }> {
  if (!rules.length) return { total: 0, byClass: new Map(), groups: [] };
  const branches = rules.map((rule, i) => {
    const label = classLabel(catalog, rule.declaredBy);
    const keys = rule.identifiers.map((k) => `c.${attributeKey(catalog, k)}`);
    return `MATCH (c:${label}) WHERE ${keys.map((k) => `${k} IS NOT NULL`).join(' AND ')}
       WITH [${keys.join(', ')}] AS values, count(*) AS n WHERE n > 1
       CALL (values) {
         MATCH (c:CI:${label}) WHERE ${keys.map((k, j) => `${k} = values[${j}]`).join(' AND ')}
         WITH c ORDER BY c.id
         RETURN collect(c.id) AS ciIds, collect(c.class) AS classes
       }
       RETURN $rule${i} AS ruleKey, values, ciIds, classes`;
  });
  const result = await client.read(
    `CALL () {
       ${branches.join('\n       UNION ALL\n       ')}
     }
     WITH ruleKey, values, ciIds, reduce(acc = [], cls IN classes | CASE WHEN cls IN acc THEN acc ELSE acc + cls END) AS classes
     WHERE any(cls IN classes WHERE cls IN $scopeClasses)
     WITH ruleKey, values, ciIds, classes ORDER BY ruleKey, ciIds[0]
     WITH collect({ruleKey: ruleKey, values: values, ciIds: ciIds, classes: classes}) AS groups
     RETURN size(groups) AS total, groups[..$limit] AS groups,
            [cls IN $scopeClasses | {class: cls, count: size([g IN groups WHERE cls IN g.classes])}] AS byClass`,
    { scopeClasses, limit: neo4j.int(limit), ...Object.fromEntries(rules.map((r, i) => [`rule${i}`, r.key])) },
  );
  const rec = result.records[0];
  const byClass = new Map((rec.get('byClass') as { class: string; count: number }[]).filter((x) => x.count > 0).map((x) => [x.class, x.count]));
  return { total: rec.get('total') as number, byClass, groups: rec.get('groups') as CollisionGroupRow[] };
}

export interface ExpectedEdge {
  type: string;
  direction: 'OUTGOING' | 'INCOMING';
}

export interface OrphanRow {
  id: string;
  name: string;
  class: string;
  missing: ExpectedEdge[];
}

/**
 * CIs (not RETIRED) lacking an edge their exact class expects (`expectedByClass`, inherited
 * expectations included) to or from any CI: the count per class and, per class, the first `limit` by name.
 *
 * Each expected edge is tested as a typed pattern with nothing asked of the other end, which Neo4j answers
 * from the node's degree count instead of walking its relationships (a core switch has thousands). That is
 * the same test as "to or from a CI": catalog relationship types only ever join CIs. The types come from the
 * catalog, so the query has one shape per catalog.
 */
export async function findOrphans(
  client: Neo4jClient,
  catalog: Catalog,
  expectedByClass: Record<string, ExpectedEdge[]>,
  limit: number,
): Promise<{ byClass: Map<string, number>; samples: OrphanRow[] }> {
  const edgeKey = (e: ExpectedEdge) => `${e.direction}:${e.type}`;
  const kinds = new Map<string, ExpectedEdge>();
  for (const edges of Object.values(expectedByClass)) for (const e of edges) kinds.set(edgeKey(e), e);
  if (!kinds.size) return { byClass: new Map(), samples: [] };
  const tests = [...kinds.entries()].map(([key, e], i) => {
    const pattern = e.direction === 'OUTGOING' ? `(c)-[:${relType(catalog, e.type)}]->()` : `(c)<-[:${relType(catalog, e.type)}]-()`;
    return { key, param: `k${i}`, cypher: `WHEN $k${i} THEN NOT EXISTS { ${pattern} }` };
  });
  const result = await client.read(
    `MATCH (c:CI) WHERE c.class IN $classNames AND coalesce(c.lifecycleStatus, '') <> 'RETIRED'
     WITH c, [e IN $expectedByClass[c.class] WHERE CASE e.key ${tests.map((t) => t.cypher).join(' ')} END] AS missing
     WHERE size(missing) > 0
     WITH c, missing ORDER BY c.name, c.id
     WITH c.class AS class, count(*) AS n, collect({id: c.id, name: c.name, class: c.class, missing: [e IN missing | {type: e.type, direction: e.direction}]}) AS orphans
     RETURN class, n, orphans[..$limit] AS sample ORDER BY class`,
    {
      classNames: Object.keys(expectedByClass),
      expectedByClass: Object.fromEntries(Object.entries(expectedByClass).map(([cls, edges]) => [cls, edges.map((e) => ({ ...e, key: edgeKey(e) }))])),
      limit: neo4j.int(limit),
      ...Object.fromEntries(tests.map((t) => [t.param, t.key])),
    },
  );
  return {
    byClass: new Map(result.records.map((r) => [r.get('class') as string, r.get('n') as number])),
    samples: result.records.flatMap((r) => r.get('sample') as OrphanRow[]),
  };
}

export interface StalenessRow {
  className: string;
  ciCount: number;
  /** No source that still reports the CI confirmed it within that source's staleness window. */
  unconfirmed: number;
  /** Stale handling marked it (staleSince set). */
  markedStale: number;
}

/**
 * Per class of `classNames`: CIs not confirmed within their sources' windows as of `now`, and CIs marked stale.
 * Each source's window becomes a cut-off instant here, compared with `lastSeenAt` as text: every writer stores
 * it as `Date.toISOString()` (UTC, milliseconds), whose text order is time order, so no date is parsed per record.
 */
export async function countStaleCis(client: Neo4jClient, classNames: string[], now: string): Promise<StalenessRow[]> {
  const sources = await client.read(`MATCH (d:DataSource) RETURN d.name AS name, d.stalenessHours AS hours`);
  const cutoffs = Object.fromEntries(sources.records.map((r) => [r.get('name') as string, new Date(Date.parse(now) - (r.get('hours') as number) * 3600_000).toISOString()]));
  // The confirmed records are read once, by a scan, into a set the CIs are tested against: a lookup of each CI's
  // records in the ciId index cost more than both scans together (103,321 CIs: 697 ms, now 286). The set holds one id
  // per confirmed CI, some 100 MB of Neo4j's heap at a million.
  const result = await client.read(
    `CALL () {
       MATCH (s:SourceRecord) WHERE s.missingSince IS NULL AND s.lastSeenAt >= $cutoffs[s.source]
       RETURN collect(DISTINCT s.ciId) AS confirmedIds
     }
     MATCH (c:CI) WHERE c.class IN $classNames
     WITH c, c.id IN confirmedIds AS confirmed
     RETURN c.class AS className, count(*) AS ciCount,
            count(CASE WHEN NOT confirmed THEN 1 END) AS unconfirmed, count(c.staleSince) AS markedStale
     ORDER BY className`,
    { classNames, cutoffs },
  );
  return result.records.map((r) => r.toObject() as unknown as StalenessRow);
}

export interface SourceFreshnessRow {
  name: string;
  kind: string;
  stalenessHours: number;
  lastSuccessfulRun: { id: string; scope: string; mode: string; finishedAt: string | null; itemsReported: number } | null;
  lastRunStatus: string | null;
  runsLast24h: number;
  /** Source records not flagged missing: the CIs this source currently reports. */
  ciCount: number;
}

/** Every data source with its latest successful run, latest run status, runs started since `since` and reported CIs. */
export async function findSourceFreshness(client: Neo4jClient, since: string): Promise<SourceFreshnessRow[]> {
  const result = await client.read(
    `MATCH (d:DataSource)
     RETURN d.name AS name, d.kind AS kind, d.stalenessHours AS stalenessHours,
       COLLECT {
         MATCH (r:SyncRun {source: d.name}) WHERE r.status = 'SUCCEEDED'
         RETURN r {.id, .scope, .mode, .finishedAt, .itemsReported} ORDER BY r.finishedAt DESC, r.startedAt DESC LIMIT 1
       } AS lastSuccess,
       COLLECT { MATCH (r:SyncRun {source: d.name}) RETURN r.status ORDER BY r.startedAt DESC, r.id DESC LIMIT 1 } AS lastStatus,
       COUNT { MATCH (r:SyncRun {source: d.name}) WHERE r.startedAt >= $since } AS runsLast24h,
       COUNT { MATCH (s:SourceRecord {source: d.name}) WHERE s.missingSince IS NULL } AS ciCount
     ORDER BY d.priority, d.name`,
    { since },
  );
  return result.records.map((r) => ({
    name: r.get('name') as string,
    kind: r.get('kind') as string,
    stalenessHours: r.get('stalenessHours') as number,
    lastSuccessfulRun: (r.get('lastSuccess') as SourceFreshnessRow['lastSuccessfulRun'][])[0] ?? null,
    lastRunStatus: (r.get('lastStatus') as string[])[0] ?? null,
    runsLast24h: r.get('runsLast24h') as number,
    ciCount: r.get('ciCount') as number,
  }));
}
