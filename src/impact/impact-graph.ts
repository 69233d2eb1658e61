import { Neo4jClient } from '../graph/client';
import { edgesRemovedSince, ImpactNode, impactNodes, reachableCis, ReachedCi, walkStepAsOf } from '../graph/impact.queries';
import { PropagationTypes, reversed } from './propagation';
import { RedundancyRule, SeverityGraph } from './severity';

/** The part of the graph one question needs: the starts, what the walk reaches, and everyone's providers. */
export interface ImpactSubgraph extends SeverityGraph {
  starts: string[];
  reached: ReachedCi[];
  nodes: Map<string, ImpactNode>;
  truncated: boolean;
}

export function parseRedundancy(raw: string | null): RedundancyRule[] {
  return raw ? (JSON.parse(raw) as RedundancyRule[]) : [];
}

function toSubgraph(starts: string[], reached: ReachedCi[], nodes: ImpactNode[], truncated: boolean): ImpactSubgraph {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  return {
    starts,
    reached: reached.filter((r) => byId.has(r.id)),
    nodes: byId,
    truncated,
    providers: new Map(nodes.map((n) => [n.id, n.providers])),
    redundancy: new Map(nodes.map((n) => [n.id, parseRedundancy(n.redundancy)])),
  };
}

/**
 * Loads the subgraph around `starts` following `walk` (two round trips). `providerWalk` says whose
 * failure reaches a CI, which for severity is always the upstream walk.
 */
export async function loadSubgraph(
  client: Neo4jClient, starts: string[], walk: PropagationTypes, providerWalk: PropagationTypes, maxDepth: number, limit: number,
): Promise<ImpactSubgraph> {
  // One level deeper than asked, and one row more than the limit: either showing up means the answer was cut.
  const reachedAll = await reachableCis(client, starts, walk, maxDepth + 1, limit + 1);
  const withinDepth = reachedAll.filter((r) => r.depth <= maxDepth);
  const reached = withinDepth.slice(0, limit);
  const ids = [...starts, ...reached.map((r) => r.id)];
  const nodes = await impactNodes(client, ids, providerWalk, null);
  return toSubgraph(starts, reached, nodes, withinDepth.length < reachedAll.length || withinDepth.length > limit);
}

/**
 * The same subgraph as it was at `asOf`: edges created later are ignored and edges removed since
 * are put back from the history. Walks breadth-first, one round trip per level.
 */
export async function loadSubgraphAsOf(
  client: Neo4jClient, starts: string[], walk: PropagationTypes, providerWalk: PropagationTypes, maxDepth: number, limit: number, asOf: string,
): Promise<ImpactSubgraph> {
  const removed = await edgesRemovedSince(client, asOf);
  const overlay = (ids: Set<string>, w: PropagationTypes) => removed.flatMap((e) => {
    const steps: { from: string; to: string; type: string; source: string }[] = [];
    const fwd = w.outgoing.includes(e.type) || w.both.includes(e.type);
    const back = w.incoming.includes(e.type) || w.both.includes(e.type);
    if (fwd && ids.has(e.from)) steps.push({ from: e.from, to: e.to, type: e.type, source: e.from });
    if (back && ids.has(e.to)) steps.push({ from: e.to, to: e.from, type: e.type, source: e.from });
    return steps;
  });
  const depthOf = new Map(starts.map((s) => [s, 0]));
  const parents = new Map<string, { from: string; type: string; source: string }[]>();
  let frontier = [...starts];
  let truncated = false;
  for (let depth = 1; depth <= maxDepth && frontier.length; depth++) {
    const steps = [...(await walkStepAsOf(client, frontier, walk, asOf)), ...overlay(new Set(frontier), walk)];
    const next: string[] = [];
    for (const s of steps) {
      const known = depthOf.get(s.to);
      if (known === undefined) {
        if (depthOf.size - starts.length >= limit) {
          truncated = true;
          continue;
        }
        depthOf.set(s.to, depth);
        next.push(s.to);
      }
      if ((depthOf.get(s.to) ?? -1) === depth) parents.set(s.to, [...(parents.get(s.to) ?? []), s]);
    }
    frontier = next;
    if (depth === maxDepth && next.length) {
      const beyond = await walkStepAsOf(client, next, walk, asOf);
      truncated ||= beyond.some((s) => !depthOf.has(s.to));
    }
  }
  const reached: ReachedCi[] = [...depthOf].filter(([id]) => !starts.includes(id)).map(([id, depth]) => ({ id, depth, paths: pathsTo(id, parents, 5) }));
  const ids = [...depthOf.keys()];
  const nodes = await impactNodes(client, ids, providerWalk, asOf);
  const nameOf = new Map(nodes.map((n) => [n.id, n.name]));
  reached.sort((a, b) => a.depth - b.depth || (nameOf.get(a.id) ?? '').localeCompare(nameOf.get(b.id) ?? '') || a.id.localeCompare(b.id));
  const idSet = new Set(ids);
  for (const s of overlay(idSet, providerWalk)) {
    const node = nodes.find((n) => n.id === s.from);
    if (node && !node.providers.some((p) => p.id === s.to && p.type === s.type)) node.providers.push({ type: s.type, id: s.to });
  }
  return toSubgraph(starts, reached, nodes, truncated);
}

/** Up to `max` shortest paths back to a start, as node ids and edge types, start first. */
function pathsTo(id: string, parents: Map<string, { from: string; type: string; source: string }[]>, max: number): ReachedCi['paths'] {
  const out: ReachedCi['paths'] = [];
  const walk = (node: string, nodes: string[], types: string[], sources: string[]) => {
    if (out.length >= max) return;
    const ps = parents.get(node);
    if (!ps) {
      out.push({ nodes: [node, ...nodes], types, sources });
      return;
    }
    for (const p of ps) walk(p.from, [node, ...nodes], [p.type, ...types], [p.source, ...sources]);
  };
  walk(id, [], [], []);
  return out;
}

export { reversed };
