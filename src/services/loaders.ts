import DataLoader from 'dataloader';
import { Catalog } from '../model/catalog';
import { Neo4jClient } from '../graph/client';
import { CiRecord } from '../graph/ci.record';
import { findCisByIds } from '../graph/ci.queries';
import { RelationshipDirection, RelationshipPage, RelationshipRecord, relationshipsOfCis } from '../graph/relationship.queries';
import { ChangeCursor, ChangeRow, changesOfCis } from '../graph/history.queries';
import { reachablePerCi } from '../graph/explore.queries';
import { propagationTypes } from '../impact/propagation';
import { TicketRow, ticketsOfCis } from '../graph/ticket.queries';
import { AlertRow, openAlertsOfCis } from '../graph/alert.queries';

export interface RelationshipsKey extends RelationshipPage {
  id: string;
}

export interface HistoryKey {
  id: string;
  /** Fetches one more than the page size to tell whether a next page exists. */
  limit: number;
  before: ChangeCursor | null;
  /** CIs merged into this one: their records belong to its history. */
  mergedFrom?: string[];
}

export interface DependencyKey {
  id: string;
  /** UPSTREAM: what the CI depends on; DOWNSTREAM: what depends on it. */
  direction: 'UPSTREAM' | 'DOWNSTREAM';
  depth: number;
  first: number;
}

export interface TicketsKey {
  id: string;
  kinds: string[] | null;
  open: boolean | null;
}

export interface Loaders {
  ciById: DataLoader<string, CiRecord | null>;
  /** The ITSM tickets concerning a CI, newest first. */
  tickets: DataLoader<TicketsKey, TicketRow[], string>;
  /** The open (firing) alerts on a CI, newest first. */
  openAlerts: DataLoader<string, AlertRow[]>;
  relationships: DataLoader<RelationshipsKey, RelationshipRecord[], string>;
  history: DataLoader<HistoryKey, ChangeRow[], string>;
  dependencies: DataLoader<DependencyKey, { ci: CiRecord; depth: number }[], string>;
}

/** Groups keys by everything but the id, runs one batch per group, answers in key order. */
async function batchByArgs<K extends { id: string }, V>(keys: readonly K[], argsOf: (k: K) => string, run: (ids: string[], sample: K) => Promise<V[]>): Promise<V[]> {
  const groups = new Map<string, K[]>();
  for (const key of keys) groups.set(argsOf(key), [...(groups.get(argsOf(key)) ?? []), key]);
  const results = new Map<K, V>();
  await Promise.all([...groups.values()].map(async (group) => {
    const values = await run(group.map((k) => k.id), group[0]);
    group.forEach((key, i) => results.set(key, values[i]));
  }));
  return keys.map((k) => results.get(k)!);
}

/** Keys with the same page share a query; exported so a query that already read the page can prime the loader. */
export const relationshipsArgsKey = (k: RelationshipPage): string => JSON.stringify([k.direction, k.types ? [...k.types].sort() : null, k.first, k.fields, k.details]);

/**
 * Per-request loaders (never shared between requests: they cache). Keys asking for the same
 * arguments share one query, so a page of CIs with relationships costs one round trip.
 */
export function createLoaders(client: Neo4jClient, catalog: Catalog): Loaders {
  const ciById = new DataLoader<string, CiRecord | null>(async (ids) => {
    const found = await findCisByIds(client, catalog, ids);
    return ids.map((id) => found.get(id) ?? null);
  });
  const relationships = new DataLoader<RelationshipsKey, RelationshipRecord[], string>(
    (keys) => batchByArgs(keys, relationshipsArgsKey, async (ids, { direction, types, first, fields, details }) => {
      const lists = await relationshipsOfCis(client, catalog, ids, { direction, types, first, fields, details });
      // Whole neighbours serve later ci(id) lookups with no query; projected ones hold too little to.
      if (!fields) for (const list of lists) for (const rel of list) ciById.prime(rel.ci.id, rel.ci);
      return lists;
    }),
    { cacheKeyFn: (k) => `${k.id}|${relationshipsArgsKey(k)}` },
  );
  const historyArgs = (k: HistoryKey) => JSON.stringify([k.limit, k.before]);
  const history = new DataLoader<HistoryKey, ChangeRow[], string>(
    (keys) => batchByArgs(keys, historyArgs, async (ids, { limit, before }) => {
      // A CI's history includes that of the CIs merged into it, interleaved by time.
      const merged = new Map(keys.map((k) => [k.id, k.mergedFrom ?? []]));
      const found = await changesOfCis(client, [...ids, ...ids.flatMap((id) => merged.get(id) ?? [])], { limit, before });
      return ids.map((id) => {
        const rows = [id, ...(merged.get(id) ?? [])].flatMap((x) => found.get(x) ?? []);
        const unique = [...new Map(rows.map((r) => [r.id, r])).values()];
        return unique.sort((a, b) => b.at.localeCompare(a.at) || (b.seq ?? 0) - (a.seq ?? 0) || b.id.localeCompare(a.id)).slice(0, limit);
      });
    }),
    { cacheKeyFn: (k) => `${k.id}|${historyArgs(k)}` },
  );
  const dependencyArgs = (k: DependencyKey) => JSON.stringify([k.direction, k.depth, k.first]);
  const dependencies = new DataLoader<DependencyKey, { ci: CiRecord; depth: number }[], string>(
    (keys) => batchByArgs(keys, dependencyArgs, async (ids, { direction, depth, first }) => {
      const found = await reachablePerCi(client, catalog, ids, propagationTypes(catalog, direction === 'UPSTREAM' ? 'UPSTREAM' : 'DOWNSTREAM', null), depth, first);
      return ids.map((id) => found.get(id) ?? []);
    }),
    { cacheKeyFn: (k) => `${k.id}|${dependencyArgs(k)}` },
  );
  const ticketArgs = (k: TicketsKey) => JSON.stringify([k.kinds ? [...k.kinds].sort() : null, k.open]);
  const tickets = new DataLoader<TicketsKey, TicketRow[], string>(
    (keys) => batchByArgs(keys, ticketArgs, async (ids, { kinds, open }) => {
      const found = await ticketsOfCis(client, ids, kinds, open);
      return ids.map((id) => found.get(id) ?? []);
    }),
    { cacheKeyFn: (k) => `${k.id}|${ticketArgs(k)}` },
  );
  const openAlerts = new DataLoader<string, AlertRow[]>(async (ids) => {
    const found = await openAlertsOfCis(client, ids);
    return ids.map((id) => found.get(id) ?? []);
  });
  return { ciById, relationships, history, dependencies, tickets, openAlerts };
}
