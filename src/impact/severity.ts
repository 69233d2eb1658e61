/** How a CI fares when some CIs fail. */
export type Severity = 'DOWN' | 'DEGRADED' | 'OK';

const RANK: Record<Severity, number> = { OK: 0, DEGRADED: 1, DOWN: 2 };

export interface RedundancyRule {
  /** The relationship type whose providers are redundant. */
  type: string;
  /** How many providers must be up. */
  quorum: number;
}

export interface SeverityGraph {
  /** For each CI in scope, the CIs whose failure reaches it, with the relationship type. */
  providers: Map<string, { type: string; id: string }[]>;
  redundancy: Map<string, RedundancyRule[]>;
  /**
   * For CIs with redundancy rules, how many providers of each type they have in all, when
   * `providers` lists only those in scope (the others are up); absent means `providers` is complete.
   */
  groupSizes?: Map<string, Map<string, number>>;
}

/**
 * Severity of every CI in the graph when `failed` are down (and `degraded` degraded). A CI is DOWN when a required provider
 * is DOWN or a redundant group drops below its quorum, DEGRADED when any provider is DEGRADED or a
 * redundant group lost members but holds quorum; severity only rises, so iterating to a fixed
 * point terminates, also on cycles (a cycle with no failure stays OK).
 */
export function computeSeverities(graph: SeverityGraph, failed: Iterable<string>, degraded: Iterable<string> = []): Map<string, Severity> {
  const severity = new Map<string, Severity>();
  // CIs that are only degraded themselves (an alert of warning severity) degrade what needs them.
  for (const id of degraded) severity.set(id, 'DEGRADED');
  for (const id of failed) severity.set(id, 'DOWN');
  propagate(graph, severity, [...severity.keys()].flatMap((id) => consumersOf(graph).get(id) ?? []), null);
  return severity;
}

/** Who consumes each provider; built once per graph (root-cause and SPOF analysis fail many CIs in one graph). */
const consumerCache = new WeakMap<SeverityGraph, Map<string, string[]>>();
function consumersOf(graph: SeverityGraph): Map<string, string[]> {
  let consumers = consumerCache.get(graph);
  if (consumers) return consumers;
  consumers = new Map<string, string[]>();
  for (const [id, providers] of graph.providers) {
    for (const p of providers) {
      const list = consumers.get(p.id);
      if (list) list.push(id);
      else consumers.set(p.id, [id]);
    }
  }
  consumerCache.set(graph, consumers);
  return consumers;
}

function evaluate(id: string, graph: SeverityGraph, severity: Map<string, Severity>): Severity {
  const providers = graph.providers.get(id) ?? [];
  const rules = graph.redundancy.get(id);
  if (!rules?.length) {
    // No redundancy: as bad as the worst provider.
    let worst: Severity = 'OK';
    for (const p of providers) {
      const s = severity.get(p.id);
      if (s === 'DOWN') return 'DOWN';
      if (s === 'DEGRADED') worst = 'DEGRADED';
    }
    return worst;
  }
  let worst: Severity = 'OK';
  const raise = (s: Severity) => {
    if (RANK[s] > RANK[worst]) worst = s;
  };
  const byType = new Map<string, Severity[]>();
  for (const p of providers) {
    const list = byType.get(p.type);
    if (list) list.push(severity.get(p.id) ?? 'OK');
    else byType.set(p.type, [severity.get(p.id) ?? 'OK']);
  }
  for (const [type, states] of byType) {
    const rule = rules.find((r) => r.type === type);
    if (!rule) {
      for (const s of states) raise(s);
      continue;
    }
    const down = states.filter((s) => s === 'DOWN').length;
    const members = graph.groupSizes?.get(id)?.get(type) ?? states.length;
    if (members - down < rule.quorum) raise('DOWN');
    else if (down > 0 || states.includes('DEGRADED')) raise('DEGRADED');
  }
  return worst;
}

export const worse = (a: Severity, b: Severity): Severity => (RANK[a] >= RANK[b] ? a : b);
export const severityRank = (s: Severity): number => RANK[s];

/** Every CI a failure of `from` can reach in the graph (itself included): where its severity may propagate. */
export function reachableFrom(graph: SeverityGraph, from: string): Set<string> {
  const consumers = consumersOf(graph);
  const seen = new Set([from]);
  const queue = [from];
  for (let head = 0; head < queue.length; head++) {
    for (const c of consumers.get(queue[head]) ?? []) {
      if (!seen.has(c)) {
        seen.add(c);
        queue.push(c);
      }
    }
  }
  return seen;
}

/**
 * Severity inside `region` (everything the CIs whose own state changed can reach) recomputed from scratch, the rest
 * of `severity` left as it is: outside the region no provider chain passes through a changed CI. `own` holds each
 * failing CI's own state. The same least fixed point as computeSeverities, for the region only.
 */
export function recomputeRegion(graph: SeverityGraph, severity: Map<string, Severity>, region: Set<string>, own: Map<string, Severity>): void {
  for (const id of region) {
    const s = own.get(id);
    if (s) severity.set(id, s);
    else severity.delete(id);
  }
  propagate(graph, severity, [...region], region);
}

/**
 * Raises severity from the CIs queued until nothing changes (only within `region` when given). A work list with a
 * read index: shift() on a large array is linear and made this quadratic.
 */
function propagate(graph: SeverityGraph, severity: Map<string, Severity>, queue: string[], region: Set<string> | null): void {
  const consumers = consumersOf(graph);
  const queued = new Set(queue);
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head];
    queued.delete(id);
    if (severity.get(id) === 'DOWN') continue;
    const next = evaluate(id, graph, severity);
    if (RANK[next] > RANK[severity.get(id) ?? 'OK']) {
      severity.set(id, next);
      for (const c of consumers.get(id) ?? []) {
        if ((!region || region.has(c)) && !queued.has(c)) {
          queued.add(c);
          queue.push(c);
        }
      }
    }
  }
}
