import { Catalog } from '../model/catalog';
import { Neo4jClient } from '../graph/client';
import { edgesRemovedSince, impactNodesAsOf, walkImpact, walkStepAsOf, WalkedCi } from '../graph/impact.queries';
import { PropagationTypes } from './propagation';
import { RedundancyRule, SeverityGraph } from './severity';

/** A reached CI and the smallest number of steps from a start. */
export interface ReachedCi {
  id: string;
  depth: number;
}

/** One step back towards a start: the CI one level nearer, the edge type, and the id where the edge starts. */
export interface ParentStep {
  from: string;
  type: string;
  source: string;
}

/** An explanation: node ids from a start to a CI, and the edges between them. */
export interface ExplainingPath {
  nodes: string[];
  types: string[];
  sources: string[];
}

export type ImpactNode = Omit<WalkedCi, 'depth' | 'parents'>;

/** The part of the graph one question needs: the starts, what the walk reaches, and everyone's providers. */
export interface ImpactSubgraph extends SeverityGraph {
  starts: string[];
  /** Reached CIs (not the starts), nearest first, then by name. */
  reached: ReachedCi[];
  nodes: Map<string, ImpactNode>;
  /** For each reached CI, its neighbours one level nearer a start; paths are rebuilt from these on demand. */
  parents: Map<string, ParentStep[]>;
  truncated: boolean;
}

export function parseRedundancy(raw: string | null): RedundancyRule[] {
  return raw ? (JSON.parse(raw) as RedundancyRule[]) : [];
}

function toSubgraph(starts: string[], reached: ReachedCi[], nodes: ImpactNode[], parents: Map<string, ParentStep[]>, truncated: boolean): ImpactSubgraph {
  return {
    starts,
    reached,
    nodes: new Map(nodes.map((n) => [n.id, n])),
    parents,
    truncated,
    providers: new Map(nodes.map((n) => [n.id, n.providers])),
    redundancy: new Map(nodes.map((n) => [n.id, parseRedundancy(n.redundancy)])),
    groupSizes: new Map(nodes.flatMap((n) => (n.groupSizes ? [[n.id, n.groupSizes] as const] : []))),
  };
}

const byDepthThenName = (nameOf: (id: string) => string) => (a: ReachedCi, b: ReachedCi) => {
  if (a.depth !== b.depth) return a.depth - b.depth;
  const na = nameOf(a.id);
  const nb = nameOf(b.id);
  if (na !== nb) return na < nb ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
};

/**
 * Loads the subgraph around `starts` following `walk`, in one round trip. `providerWalk` says
 * whose failure reaches a CI (for severity); null when the question needs no severity.
 */
export async function loadSubgraph(
  client: Neo4jClient, catalog: Catalog, starts: string[], walk: PropagationTypes, providerWalk: PropagationTypes | null, maxDepth: number, limit: number,
): Promise<ImpactSubgraph> {
  const { cis, truncated } = await walkImpact(client, catalog, starts, { walk, providerWalk, maxDepth, limit });
  const depthOf = new Map(cis.map((c) => [c.id, c.depth]));
  const parents = new Map<string, ParentStep[]>();
  for (const c of cis) {
    if (c.depth === 0) continue;
    const steps = c.parents.filter((p) => depthOf.get(p.id) === c.depth - 1).map((p) => ({ from: p.id, type: p.type, source: p.out ? c.id : p.id }));
    parents.set(c.id, steps);
  }
  // Rows come nearest first, then by name and id (the query sorts them to apply the limit).
  const reached = cis.filter((c) => c.depth > 0).map((c) => ({ id: c.id, depth: c.depth }));
  return toSubgraph(starts, reached, cis, parents, truncated);
}

/**
 * The same subgraph as it was at `asOf`: edges created later are ignored and edges removed since
 * are put back from the history. Walks breadth-first, one round trip per level.
 */
export async function loadSubgraphAsOf(
  client: Neo4jClient, catalog: Catalog, starts: string[], walk: PropagationTypes, providerWalk: PropagationTypes, maxDepth: number, limit: number, asOf: string,
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
  const parents = new Map<string, ParentStep[]>();
  let frontier = [...starts];
  let truncated = false;
  for (let depth = 1; depth <= maxDepth && frontier.length; depth++) {
    const steps = [...(await walkStepAsOf(client, catalog, frontier, walk, asOf)), ...overlay(new Set(frontier), walk)];
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
      const beyond = await walkStepAsOf(client, catalog, next, walk, asOf);
      truncated ||= beyond.some((s) => !depthOf.has(s.to));
    }
  }
  const ids = [...depthOf.keys()];
  const nodes = await impactNodesAsOf(client, catalog, ids, providerWalk, asOf);
  const idSet = new Set(ids);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (const s of overlay(idSet, providerWalk)) {
    const node = byId.get(s.from);
    if (node && !node.providers.some((p) => p.id === s.to && p.type === s.type)) node.providers.push({ type: s.type, id: s.to, out: s.source === s.from });
  }
  const reached = [...depthOf].filter(([id, d]) => d > 0 && byId.has(id)).map(([id, depth]) => ({ id, depth }));
  reached.sort(byDepthThenName((id) => byId.get(id)?.name ?? ''));
  return toSubgraph(starts, reached, nodes, parents, truncated);
}

/** Up to `max` shortest paths back to a start, as node ids and edge types, start first. */
export function pathsTo(graph: ImpactSubgraph, id: string, max = 5): ExplainingPath[] {
  const out: ExplainingPath[] = [];
  const walk = (node: string, nodes: string[], types: string[], sources: string[]) => {
    if (out.length >= max) return;
    const ps = graph.parents.get(node);
    if (!ps?.length) {
      out.push({ nodes: [node, ...nodes], types, sources });
      return;
    }
    for (const p of ps) walk(p.from, [node, ...nodes], [p.type, ...types], [p.source, ...sources]);
  };
  walk(id, [], [], []);
  return out;
}
