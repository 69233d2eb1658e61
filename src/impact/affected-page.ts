import { InputError } from '../model/field-error';
import { AffectedCi } from './impact.types';
import { severityRank } from './severity';

export const MAX_AFFECTED_PAGE = 1000;

export interface AffectedPage {
  totalCount: number;
  edges: { cursor: string; node: AffectedCi }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

type Key = [number, number, string, string];
/** Worst first (DOWN, then DEGRADED, then no severity for UPSTREAM questions), then nearest, then by name. */
const keyOf = (a: AffectedCi): Key => [-severityRank(a.severity ?? 'OK'), a.depth, a.ci.name, a.ci.id];
const compare = (x: Key, y: Key) => x[0] - y[0] || x[1] - y[1] || x[2].localeCompare(y[2]) || x[3].localeCompare(y[3]);
const encode = (k: Key) => Buffer.from(JSON.stringify(k)).toString('base64url');

function decode(cursor: string): Key {
  try {
    const k = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (k.length === 4 && typeof k[0] === 'number' && typeof k[1] === 'number' && typeof k[2] === 'string' && typeof k[3] === 'string') return k as Key;
  } catch {
    // fall through
  }
  throw new InputError([{ field: 'after', reason: 'is not an affected-CI cursor returned by this API' }]);
}

/**
 * One page of an impact answer's affected CIs. The cursor is the position (severity, depth, name, id), not an
 * offset, so a page asked again after the graph changed neither repeats nor skips what it already returned.
 */
export function affectedPage(affected: AffectedCi[], first: number, after: string | null): AffectedPage {
  if (!Number.isInteger(first) || first < 0 || first > MAX_AFFECTED_PAGE) throw new InputError([{ field: 'first', reason: `must be between 0 and ${MAX_AFFECTED_PAGE}, got ${first}` }]);
  const from = after ? decode(after) : null;
  const ordered = affected.map((a) => ({ a, k: keyOf(a) })).sort((x, y) => compare(x.k, y.k));
  const rest = from ? ordered.filter((o) => compare(o.k, from) > 0) : ordered;
  const page = rest.slice(0, first);
  const edges = page.map((o) => ({ cursor: encode(o.k), node: o.a }));
  return {
    totalCount: affected.length,
    edges,
    pageInfo: { hasNextPage: rest.length > first, hasPreviousPage: from !== null, startCursor: edges[0]?.cursor ?? null, endCursor: edges[edges.length - 1]?.cursor ?? null },
  };
}
