import DataLoader from 'dataloader';
import { Catalog } from '../model/catalog';
import { Neo4jClient } from '../graph/client';
import { CiRecord } from '../graph/ci.record';
import { findCisByIds } from '../graph/ci.queries';
import { RelationshipDirection, RelationshipRecord, relationshipsOfCis } from '../graph/relationship.queries';

export interface RelationshipsKey {
  id: string;
  direction: RelationshipDirection;
  types: string[] | null;
  first: number;
}

export interface Loaders {
  ciById: DataLoader<string, CiRecord | null>;
  relationships: DataLoader<RelationshipsKey, RelationshipRecord[], string>;
}

const argsKey = (k: RelationshipsKey): string => JSON.stringify([k.direction, k.types ? [...k.types].sort() : null, k.first]);

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
    async (keys) => {
      const groups = new Map<string, RelationshipsKey[]>();
      for (const key of keys) {
        const group = groups.get(argsKey(key)) ?? [];
        group.push(key);
        groups.set(argsKey(key), group);
      }
      const results = new Map<RelationshipsKey, RelationshipRecord[]>();
      await Promise.all([...groups.values()].map(async (group) => {
        const { direction, types, first } = group[0];
        const lists = await relationshipsOfCis(client, catalog, group.map((k) => k.id), direction, types, first);
        group.forEach((key, i) => results.set(key, lists[i]));
        // Neighbours come back whole: later ci(id) lookups for them need no query.
        for (const list of lists) for (const rel of list) ciById.prime(rel.ci.id, rel.ci);
      }));
      return keys.map((k) => results.get(k)!);
    },
    { cacheKeyFn: (k) => `${k.id}|${argsKey(k)}` },
  );
  return { ciById, relationships };
}
