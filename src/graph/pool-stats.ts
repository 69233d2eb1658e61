import type { Driver } from 'neo4j-driver';

export interface PoolStats {
  /** Connections lent to a session right now. */
  inUse: number;
  /** Open connections waiting in the pool. */
  idle: number;
}

interface PoolInternals {
  _activeResourceCounts?: Record<string, number>;
  _pools?: Record<string, { length?: number }>;
}

/**
 * The driver's connection pool occupancy, summed over server addresses.
 *
 * neo4j-driver 6 has no public pool metrics, so this reads two fields of its pool object (active counts
 * per address and the idle list per address), read-only. It is the only place that touches driver
 * internals; when a driver upgrade renames them it returns null, the gauge goes quiet, and
 * tests/graph/pool-stats.test.ts fails, rather than anything in the request path breaking.
 */
export function readPoolStats(driver: Driver): PoolStats | null {
  const provider = (driver as unknown as { _connectionProvider?: { _connectionPool?: PoolInternals } | null })._connectionProvider;
  if (provider === null || provider === undefined) return { inUse: 0, idle: 0 }; // created lazily on first use
  const pool = provider._connectionPool;
  if (!pool || typeof pool._activeResourceCounts !== 'object' || typeof pool._pools !== 'object') return null;
  let inUse = 0;
  let idle = 0;
  for (const n of Object.values(pool._activeResourceCounts)) inUse += Number(n) || 0;
  for (const list of Object.values(pool._pools)) idle += Number(list?.length) || 0;
  return { inUse, idle };
}
