import { Catalog } from '../model/catalog';
import { InputError, NotFoundError } from '../model/field-error';
import { Neo4jClient } from '../graph/client';
import { CiRecord, toCiRecord } from '../graph/ci.record';
import { ChangeCursor, ChangeRow, changesOfCis, REDUNDANCY_FIELD } from '../graph/history.queries';
import { loadCiPropertiesRead } from '../graph/ci.queries';
import { RelationshipRecord, relationshipsOfCis } from '../graph/relationship.queries';

export interface ChangePage<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

const encode = (c: Pick<ChangeRow, 'at' | 'seq' | 'id'>) => Buffer.from(JSON.stringify([c.at, c.seq ?? 0, c.id])).toString('base64url');

export function decodeChangeCursor(cursor: string): ChangeCursor {
  try {
    const [at, seq, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof at === 'string' && typeof seq === 'number' && typeof id === 'string') return { at, seq, id };
  } catch {
    // fall through
  }
  throw new InputError([{ field: 'after', reason: 'is not a history cursor returned by this API' }]);
}

export function toChangePage<T extends Pick<ChangeRow, 'at' | 'seq' | 'id'>>(rows: T[], first: number, after: boolean): ChangePage<T> {
  const page = rows.slice(0, first);
  const edges = page.map((node) => ({ cursor: encode(node), node }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > first, hasPreviousPage: after, startCursor: edges[0]?.cursor ?? null, endCursor: edges[edges.length - 1]?.cursor ?? null },
  };
}

const parse = (v: string | null): unknown => (v === null ? null : JSON.parse(v));

/** Time travel: a CI and its relationships as they were at a moment, rebuilt from the change history. */
export class HistoryService {
  constructor(private readonly client: Neo4jClient, private readonly catalog: Catalog) {}

  async ciAsOf(id: string, asOf: string): Promise<CiRecord> {
    if (Number.isNaN(Date.parse(asOf))) throw new InputError([{ field: 'asOf', reason: `must be an ISO-8601 date-time, got '${asOf}'` }]);
    const at = new Date(asOf).toISOString();
    const later = (await changesOfCis(this.client, [id], { since: at })).get(id) ?? [];
    const current = (await loadCiPropertiesRead(this.client, [id])).get(id);
    let state: Record<string, unknown> | undefined = current ? { ...current } : undefined;
    if (!state) {
      const deleted = later.find((c) => c.kind === 'DELETED' && c.ciId === id);
      if (!deleted) throw new NotFoundError('id', `no CI with id '${id}' at ${at}`);
      state = JSON.parse(deleted.oldValue!) as Record<string, unknown>;
    }
    const [currentRels] = current ? await relationshipsOfCis(this.client, this.catalog, [id], { direction: 'BOTH', types: null, first: 10_000, fields: null, details: true }) : [[]];
    const edges = new Map<string, { type: string; direction: 'OUTGOING' | 'INCOMING'; otherId: string; createdAt: string | null; sources: string[] }>();
    const edgeKey = (type: string, direction: string, otherId: string) => `${type}|${direction}|${otherId}`;
    for (const r of currentRels) edges.set(edgeKey(r.type, r.direction, r.ci.id), { type: r.type, direction: r.direction, otherId: r.ci.id, createdAt: r.createdAt, sources: r.sources });

    // Undo, newest first, everything that happened after the moment asked for.
    for (const change of later) {
      if (change.kind === 'CREATED' && change.ciId === id) throw new NotFoundError('id', `CI '${id}' did not exist yet at ${at} (created ${change.at})`);
      if (change.kind === 'UPDATED' && change.ciId === id && change.field) {
        // Redundancy rules live on the node as JSON text; the record holds that text.
        const key = change.field === REDUNDANCY_FIELD ? '_redundancy' : change.field;
        const old = change.field === REDUNDANCY_FIELD ? change.oldValue : parse(change.oldValue);
        if (old === null) delete state[key];
        else state[key] = old;
      }
      if (change.kind === 'RELATIONSHIP_ADDED' || change.kind === 'RELATIONSHIP_REMOVED') {
        const outgoing = change.ciId === id;
        const key = edgeKey(change.relType!, outgoing ? 'OUTGOING' : 'INCOMING', outgoing ? change.otherId! : change.ciId);
        if (change.kind === 'RELATIONSHIP_ADDED') edges.delete(key);
        else edges.set(key, { type: change.relType!, direction: outgoing ? 'OUTGOING' : 'INCOMING', otherId: outgoing ? change.otherId! : change.ciId, createdAt: null, sources: [] });
      }
    }
    const neighbours = await this.neighboursAsOf([...new Set([...edges.values()].map((e) => e.otherId))], at);
    const relationships: RelationshipRecord[] = [...edges.values()]
      .filter((e) => neighbours.has(e.otherId))
      .map((e) => ({ type: e.type, direction: e.direction, ci: neighbours.get(e.otherId)!, createdAt: e.createdAt, sources: e.sources }))
      .sort((a, b) => a.type.localeCompare(b.type) || a.ci.name.localeCompare(b.ci.name));
    return { ...toCiRecord(this.catalog, state), asOf: { at, relationships } };
  }

  /** Neighbours shown with their current fields, or their last snapshot when they have been deleted since. */
  private async neighboursAsOf(ids: string[], at: string): Promise<Map<string, CiRecord>> {
    const out = new Map<string, CiRecord>();
    if (!ids.length) return out;
    const current = await loadCiPropertiesRead(this.client, ids);
    const missing = ids.filter((id) => !current.has(id));
    for (const [id, props] of current) out.set(id, toCiRecord(this.catalog, props));
    if (missing.length) {
      const changes = await changesOfCis(this.client, missing, { since: at });
      for (const id of missing) {
        const deleted = changes.get(id)?.find((c) => c.kind === 'DELETED' && c.ciId === id);
        if (deleted?.oldValue) out.set(id, toCiRecord(this.catalog, JSON.parse(deleted.oldValue)));
      }
    }
    return out;
  }
}
