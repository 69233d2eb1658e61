import { Catalog } from '../model/catalog';
import { FieldError, InputError } from '../model/field-error';
import { didYouMean } from '../model/suggest';
import { Neo4jClient } from '../graph/client';
import { ChangeCursor, ChangeKind } from '../graph/history.queries';
import { changeFeed, FeedRow } from '../graph/change-feed.queries';
import { reachablePerCi } from '../graph/explore.queries';
import { ImpactDirection, propagationTypes } from '../impact/propagation';

export const CHANGE_KINDS: ChangeKind[] = ['CREATED', 'UPDATED', 'DELETED', 'RELATIONSHIP_ADDED', 'RELATIONSHIP_REMOVED', 'MERGED'];
export const MAX_FEED_PAGE = 500;
const MAX_FEED_DEPTH = 10;
/** CIs a scoped feed covers at most: the given ones and what they reach. */
const MAX_SCOPE = 20_000;

export interface ChangeFeedQuery {
  /** The CIs the question is about (already resolved); empty: the whole estate. */
  ciIds: string[];
  since?: string | null;
  until?: string | null;
  /** UPSTREAM (default): what the CIs depend on changed; DOWNSTREAM: what depends on them; with `walk` false, neither. */
  direction?: ImpactDirection | null;
  maxDepth?: number | null;
  walk?: boolean;
  classes?: string[] | null;
  kinds?: string[] | null;
  first: number;
  after: ChangeCursor | null;
}

/** A feed row with how far its CI is from the CIs asked about (0: one of them; null: estate-wide feed). */
export type FeedEntry = FeedRow & { depth: number | null };

/**
 * "What changed around this CI?": the history records of the CIs upstream (or downstream) of the given ones, newest
 * first, or of the whole estate. The first question of every incident, in one request.
 */
export class ChangeFeedService {
  constructor(private readonly client: Neo4jClient, private readonly catalog: Catalog) {}

  async changes(q: ChangeFeedQuery): Promise<FeedEntry[]> {
    const errors: FieldError[] = [];
    const since = this.instant(q.since, 'since', errors);
    const until = this.instant(q.until, 'until', errors);
    if (since && until && since >= until) errors.push({ field: 'until', reason: `must be after since (${since})` });
    const depth = q.maxDepth ?? 3;
    if (!Number.isInteger(depth) || depth < 1 || depth > MAX_FEED_DEPTH) errors.push({ field: 'maxDepth', reason: `must be between 1 and ${MAX_FEED_DEPTH}, got ${depth}` });
    if (!Number.isInteger(q.first) || q.first < 1 || q.first > MAX_FEED_PAGE) errors.push({ field: 'first', reason: `must be between 1 and ${MAX_FEED_PAGE}, got ${q.first}` });
    for (const k of q.kinds ?? []) if (!(CHANGE_KINDS as string[]).includes(k)) errors.push({ field: 'kinds', reason: `unknown kind '${k}'; one of ${CHANGE_KINDS.join(', ')}` });
    for (const c of q.classes ?? []) {
      if (!this.catalog.getClass(c)) errors.push({ field: 'classes', reason: `class '${c}' is not in the model${didYouMean(c, this.catalog.classes.keys())}` });
    }
    if (errors.length) throw new InputError(errors);

    const depths = q.ciIds.length ? await this.scope(q.ciIds, q.walk === false ? 0 : depth, q.direction ?? 'UPSTREAM') : null;
    const rows = await changeFeed(this.client, this.catalog, {
      ciIds: depths ? [...depths.keys()] : null,
      since,
      until,
      kinds: q.kinds?.length ? q.kinds : null,
      classes: q.classes?.length ? q.classes : null,
    }, q.first + 1, q.after);
    // A relationship change concerns both ends: it sits at the nearer one's distance.
    const near = (r: FeedRow) => Math.min(depths!.get(r.ciId) ?? Infinity, r.otherId ? depths!.get(r.otherId) ?? Infinity : Infinity);
    return rows.map((r) => ({ ...r, depth: depths ? near(r) : null }));
  }

  /** The given CIs (depth 0) and what the walk reaches from them, each at its smallest distance. */
  private async scope(ids: string[], depth: number, direction: ImpactDirection): Promise<Map<string, number>> {
    const out = new Map(ids.map((id) => [id, 0]));
    if (depth === 0) return out;
    const reached = await reachablePerCi(this.client, this.catalog, ids, propagationTypes(this.catalog, direction, null), depth, MAX_SCOPE);
    for (const found of reached.values()) {
      for (const { ci, depth: d } of found) if (!out.has(ci.id) || out.get(ci.id)! > d) out.set(ci.id, d);
    }
    return out;
  }

  private instant(value: string | null | undefined, field: string, errors: FieldError[]): string | null {
    if (!value) return null;
    const t = Date.parse(value);
    if (Number.isNaN(t)) {
      errors.push({ field, reason: `must be an ISO-8601 date-time, got '${value.slice(0, 64)}'` });
      return null;
    }
    return new Date(t).toISOString();
  }
}
