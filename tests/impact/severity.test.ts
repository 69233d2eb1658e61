/**
 * Severity over the indexed graph against the rule it implements, computed the plain way (every CI re-evaluated from
 * its providers until nothing changes), on random graphs with cycles, redundant groups (with members outside the
 * graph), degraded and failed CIs; and the region recomputation of live health against a full computation.
 */
import { computeSeverities, recomputeRegion, reachableFrom, RedundancyRule, Severity, SeverityGraph } from '../../src/impact/severity';

const RANK: Record<Severity, number> = { OK: 0, DEGRADED: 1, DOWN: 2 };
const TYPES = ['RUNS_ON', 'MEMBER_OF', 'DEPENDS_ON'];

function reference(graph: SeverityGraph, failed: string[], degraded: string[]): Map<string, Severity> {
  const own = new Map<string, Severity>([...degraded.map((id) => [id, 'DEGRADED'] as const), ...failed.map((id) => [id, 'DOWN'] as const)]);
  const sev = new Map(own);
  const get = (id: string): Severity => sev.get(id) ?? 'OK';
  // Only what a failure reaches is evaluated: a group short of its quorum with nothing failing is not an impact.
  const reached = new Set(own.keys());
  for (let grew = true; grew;) {
    grew = false;
    for (const [id, providers] of graph.providers) if (!reached.has(id) && providers.some((p) => reached.has(p.id))) { reached.add(id); grew = true; }
  }
  for (let changed = true; changed;) {
    changed = false;
    for (const [id, providers] of graph.providers) {
      if (!reached.has(id)) continue;
      const rules = graph.redundancy.get(id) ?? [];
      let worst = own.get(id) ?? 'OK';
      const raise = (s: Severity) => { if (RANK[s] > RANK[worst]) worst = s; };
      for (const type of new Set(providers.map((p) => p.type))) {
        const states = providers.filter((p) => p.type === type).map((p) => get(p.id));
        const rule = rules.find((r) => r.type === type);
        if (!rule) { states.forEach(raise); continue; }
        const down = states.filter((s) => s === 'DOWN').length;
        const members = graph.groupSizes?.get(id)?.get(type) ?? states.length;
        if (members - down < rule.quorum) raise('DOWN');
        else if (down > 0 || states.includes('DEGRADED')) raise('DEGRADED');
      }
      if (RANK[worst] > RANK[get(id)]) { sev.set(id, worst); changed = true; }
    }
  }
  return sev;
}

/** A seeded pseudo-random generator, so a failure names the graph that shows it. */
function rng(seed: number): () => number {
  let x = seed;
  return () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
}

function randomGraph(seed: number): { graph: SeverityGraph; ids: string[]; pick: (n: number) => string[] } {
  const r = rng(seed);
  const n = 5 + Math.floor(r() * 60);
  const ids = Array.from({ length: n }, (_, i) => `ci-${seed}-${i}`);
  const providers = new Map<string, { type: string; id: string }[]>();
  const redundancy = new Map<string, RedundancyRule[]>();
  const groupSizes = new Map<string, Map<string, number>>();
  for (const id of ids) {
    const list = Array.from({ length: Math.floor(r() * 5) }, () => ({ type: TYPES[Math.floor(r() * TYPES.length)], id: ids[Math.floor(r() * n)] }))
      .filter((p) => p.id !== id);
    if (r() < 0.9) providers.set(id, list);
    if (r() < 0.3) {
      const type = TYPES[Math.floor(r() * 2)];
      const members = list.filter((p) => p.type === type).length;
      redundancy.set(id, [{ type, quorum: 1 + Math.floor(r() * 2) }]);
      if (r() < 0.5) groupSizes.set(id, new Map([[type, members + Math.floor(r() * 3)]]));
    } else redundancy.set(id, []);
  }
  const pick = (k: number) => Array.from({ length: k }, () => ids[Math.floor(r() * n)]);
  return { graph: { providers, redundancy, groupSizes }, ids, pick };
}

const sorted = (m: Map<string, Severity>) => [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

it.each(Array.from({ length: 200 }, (_, i) => i + 1))('random graph %i: the same severities as the plain fixed point', (seed) => {
  const { graph, pick } = randomGraph(seed);
  const failed = pick(1 + (seed % 3));
  const degraded = pick(seed % 2);
  const got = computeSeverities(graph, failed, degraded);
  expect(sorted(got)).toEqual(sorted(reference(graph, failed, degraded)));
  // Asked again on the same graph (its index is kept), the answer for other failures is still exact.
  const again = pick(1);
  expect(sorted(computeSeverities(graph, again))).toEqual(sorted(reference(graph, again, [])));
});

it.each(Array.from({ length: 100 }, (_, i) => i + 1))('random graph %i: a region recomputed after a change equals a full computation', (seed) => {
  const { graph, pick } = randomGraph(seed + 1000);
  const before = pick(2);
  const severity = computeSeverities(graph, before);
  const after = [...pick(2), before[0]];
  // As live health does: the region is what the CIs whose state changed can reach.
  const moved = new Set([...before, ...after].filter((id) => before.includes(id) !== after.includes(id)));
  const region = new Set<string>();
  for (const id of moved) for (const r of reachableFrom(graph, id)) region.add(r);
  recomputeRegion(graph, severity, region, new Map(after.map((id) => [id, 'DOWN'])));
  expect(sorted(severity)).toEqual(sorted(reference(graph, after, [])));
});

it('reports a failed CI the graph does not hold, and reaches nothing from it', () => {
  const graph: SeverityGraph = { providers: new Map([['a', [{ type: 'RUNS_ON', id: 'b' }]]]), redundancy: new Map() };
  expect(sorted(computeSeverities(graph, ['b', 'elsewhere']))).toEqual([['a', 'DOWN'], ['b', 'DOWN'], ['elsewhere', 'DOWN']]);
  expect([...reachableFrom(graph, 'elsewhere')]).toEqual(['elsewhere']);
  expect([...reachableFrom(graph, 'b')].sort()).toEqual(['a', 'b']);
});
