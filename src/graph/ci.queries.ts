import neo4j, { ManagedTransaction } from 'neo4j-driver';
import { Catalog } from '../model/catalog';
import { StoredValue } from '../model/attribute-values';
import { Neo4jClient } from './client';
import { CiRecord, nodeToCi, readPlainCi } from './ci.record';
import { readRelationships, RelationshipPage, RelationshipRecord, relationshipsSubquery } from './relationship.queries';
import { attributeKey, classLabel, plainCiList } from './cypher-names';
import { appendChanges, ChangeAuthor, ChangeRow, deletionChanges } from './history.queries';
import { MANUAL_SOURCE } from '../reconcile/sources.types';

/** Filter for listing CIs; every name in it must already have been checked against the catalog. */
export interface CiFilterSpec {
  /** The class and its subclasses. */
  className?: string;
  /** Exact name. */
  name?: string;
  nameContains?: string;
  ids?: string[];
  lifecycleStatuses?: string[];
  environment?: string;
  /** Attribute equality, values in stored form. */
  attributes?: { name: string; value: StoredValue }[];
}

/** Keyset cursor position: CIs are ordered by (name, id). */
export interface CiCursor {
  name: string;
  id: string;
}

function matchClause(catalog: Catalog, filter: CiFilterSpec): { cypher: string; params: Record<string, unknown> } {
  const label = filter.className ? ':' + classLabel(catalog, filter.className) : '';
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (filter.name !== undefined) {
    where.push('c.name = $name');
    params.name = filter.name;
  }
  if (filter.ids) {
    where.push('c.id IN $ids');
    params.ids = filter.ids;
  }
  if (filter.nameContains) {
    where.push('toLower(c.name) CONTAINS $nameContains');
    params.nameContains = filter.nameContains.toLowerCase();
  }
  if (filter.lifecycleStatuses?.length) {
    where.push('c.lifecycleStatus IN $lifecycleStatuses');
    params.lifecycleStatuses = filter.lifecycleStatuses;
  }
  if (filter.environment) {
    where.push('c.environment = $environment');
    params.environment = filter.environment;
  }
  filter.attributes?.forEach((attr, i) => {
    where.push(`c.${attributeKey(catalog, attr.name)} = $attr${i}`);
    params[`attr${i}`] = attr.value;
  });
  return { cypher: `MATCH (c:CI${label})${where.length ? ' WHERE ' + where.join(' AND ') : ''}`, params };
}

export async function findCisByIds(client: Neo4jClient, catalog: Catalog, ids: readonly string[]): Promise<Map<string, CiRecord>> {
  const result = await client.read('UNWIND $ids AS id MATCH (c:CI {id: id}) RETURN c', { ids: [...new Set(ids)] });
  return new Map(result.records.map((r) => {
    const ci = nodeToCi(catalog, r.get('c'));
    return [ci.id, ci];
  }));
}

/**
 * One page in (name, id) order, fetching one extra row to tell whether a next page exists; with
 * `relationships`, each CI's edges too, read in the same statement.
 */
export async function findCisPage(
  client: Neo4jClient,
  catalog: Catalog,
  filter: CiFilterSpec,
  first: number,
  after: CiCursor | null,
  relationships: RelationshipPage | null = null,
  fields: readonly string[] | null = null,
): Promise<{ cis: CiRecord[]; hasNextPage: boolean; relationships: RelationshipRecord[][] | null }> {
  const { cypher, params } = matchClause(catalog, filter);
  // Only the properties asked (plus what orders the page and makes its cursors), as a list the driver decodes cheaply.
  const plain = fields ? [...new Set([...fields, 'id', 'name', 'class'])] : null;
  const ci = plain ? `${plainCiList('c', plain)} AS c` : 'c';
  // `c.name >= $afterName` first: a range the name index can seek and return in order, so a page deep in a
  // large estate costs its own rows, not a scan and sort of every CI after it.
  const afterClause = after ? `${cypher.includes(' WHERE ') ? ' AND' : ' WHERE'} c.name >= $afterName AND (c.name > $afterName OR c.id > $afterId)` : '';
  const result = await client.read(
    relationships
      ? `${cypher}${afterClause}\nWITH c ORDER BY c.name, c.id LIMIT $limit\n${relationshipsSubquery(catalog, relationships)}\nRETURN ${ci}, rels`
      : `${cypher}${afterClause}\nWITH c ORDER BY c.name, c.id LIMIT $limit\nRETURN ${ci}`,
    {
      ...params, afterName: after?.name ?? null, afterId: after?.id ?? null, limit: neo4j.int(first + 1),
      ...(relationships ? { relFirst: neo4j.int(relationships.first) } : {}),
    },
  );
  const records = result.records.slice(0, first);
  return {
    cis: records.map((r) => (plain ? readPlainCi(plain, r.get('c')) : nodeToCi(catalog, r.get('c')))),
    hasNextPage: result.records.length > first,
    relationships: relationships ? records.map((r) => readRelationships(catalog, relationships, r.get('rels'))) : null,
  };
}

export async function countCis(client: Neo4jClient, catalog: Catalog, filter: CiFilterSpec): Promise<number> {
  const { cypher, params } = matchClause(catalog, filter);
  const result = await client.read(`${cypher}\nRETURN count(c) AS total`, params);
  return result.records[0].get('total') as number;
}

/** Properties of a new CI node: common fields and stored attribute values. */
export type CiProperties = Record<string, StoredValue | null>;

/** Labels for a class: CI plus every concrete step of its ancestry, so a class match includes subclasses. */
export function ciLabels(catalog: Catalog, className: string): string {
  const cls = catalog.getClass(className);
  if (!cls) throw new Error(`class '${className}' is not in the catalog`);
  return [':CI', ...cls.ancestry.map((name) => ':' + classLabel(catalog, name))].join('');
}

/** Creates a CI with its history record and the manual source's record of it, in one transaction. */
export async function insertCi(client: Neo4jClient, tx: ManagedTransaction, catalog: Catalog, className: string, props: CiProperties, changes: ChangeRow[]): Promise<CiRecord> {
  const result = await client.run(tx, `CREATE (c${ciLabels(catalog, className)}) SET c = $props RETURN c`, { props });
  await client.run(tx,
    `CREATE (s:SourceRecord {key: $source + '|' + $id, source: $source, ciId: $id, scope: '', firstSeenAt: $now, lastSeenAt: $now})`,
    { source: MANUAL_SOURCE, id: props.id, now: props.createdAt });
  await appendChanges(client, tx, changes);
  return nodeToCi(catalog, result.records[0].get('c'));
}

/** Deletes a CI and its relationships, recording a snapshot and each removed edge; null when it did not exist. */
export async function deleteCiById(client: Neo4jClient, id: string, by: ChangeAuthor, now: string): Promise<{ relationships: number } | null> {
  return client.writeTx(async (tx) => {
    const found = await client.run(tx,
      `MATCH (c:CI {id: $id})
       RETURN properties(c) AS c, [(c)-[r]->(o:CI) | [type(r), o.id]] AS out, [(c)<-[r]-(o:CI) | [type(r), o.id]] AS inc`, { id });
    if (!found.records.length) return null;
    const rec = found.records[0];
    const changes = deletionChanges(rec.get('c'), rec.get('out'), rec.get('inc'), by, null, now);
    await appendChanges(client, tx, changes);
    await client.run(tx, 'MATCH (c:CI {id: $id}) OPTIONAL MATCH (s:SourceRecord {ciId: $id}) DETACH DELETE s, c', { id });
    return { relationships: changes.length - 1 };
  });
}

/** Raw properties (provenance included) of CIs, in a read transaction. */
export async function loadCiPropertiesRead(client: Neo4jClient, ids: readonly string[]): Promise<Map<string, Record<string, unknown>>> {
  const result = await client.read('UNWIND $ids AS id MATCH (c:CI {id: id}) RETURN properties(c) AS c', { ids: [...new Set(ids)] });
  return new Map(result.records.map((r) => {
    const props = r.get('c') as Record<string, unknown>;
    return [String(props.id), props];
  }));
}
