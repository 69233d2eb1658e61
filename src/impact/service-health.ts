/**
 * Service health from the CIs open alerts make DOWN or DEGRADED, through the redundancy-aware impact. The query
 * computes it for the whole estate; the tracker recomputes only around the CIs whose alerts changed, which is what
 * the live feed does on every alert (one alert on a pod walks from the pod, not from every failing CI).
 */
import { Catalog } from '../model/catalog';
import { CRITICALITIES } from '../model/catalog.types';
import { Neo4jClient } from '../graph/client';
import { failingCis } from '../graph/alert.queries';
import { findCisByIds } from '../graph/ci.queries';
import { propagationTypes } from './propagation';
import { computeSeverities, reachableFrom, Severity } from './severity';
import { ImpactSubgraph, loadSubgraph, pathsTo } from './impact-graph';
import { CiSummary, ServiceHealth } from './impact.types';

const SERVICE_CLASS = 'Service';
/** How far a failure is followed towards the services (impact's default depth). */
const HEALTH_DEPTH = 6;
const HEALTH_LIMIT = 50000;
const HEALTH_RANK: Record<ServiceHealth['health'], number> = { OPERATIONAL: 0, DEGRADED: 1, DOWN: 2 };
const critRank = (c: string | null) => (c ? (CRITICALITIES as readonly string[]).indexOf(c) : CRITICALITIES.length);

type Failing = { id: string; state: 'DOWN' | 'DEGRADED'; maintenance: boolean };

/** The failing CIs now: those that page, and those left out as in maintenance. */
interface FailingNow {
  paging: Failing[];
  maintenance: string[];
  state: Map<string, 'DOWN' | 'DEGRADED'>;
}

/** What one computation cost: the walk's start CIs and the CIs it loaded (the benchmark compares these). */
export interface HealthCost {
  starts: number;
  loaded: number;
}

interface FailureGraph {
  graph: ImpactSubgraph | null;
  severity: Map<string, Severity>;
}

export const sortHealth = (answers: ServiceHealth[]): ServiceHealth[] =>
  answers.sort((a, b) => HEALTH_RANK[b.health] - HEALTH_RANK[a.health] || critRank(a.service.criticality) - critRank(b.service.criticality) || a.service.name.localeCompare(b.service.name));

export async function readFailing(client: Neo4jClient): Promise<FailingNow> {
  const failing = await failingCis(client, new Date().toISOString());
  return {
    paging: failing.filter((f) => !f.maintenance),
    maintenance: failing.filter((f) => f.maintenance).map((f) => f.id),
    state: new Map(failing.map((f) => [f.id, f.state])),
  };
}

/** The subgraph downstream of these failing CIs (with everyone's providers) and the severity they cause in it. */
export async function loadFailureGraph(client: Neo4jClient, catalog: Catalog, failing: Failing[]): Promise<FailureGraph> {
  if (!failing.length) return { graph: null, severity: new Map() };
  const graph = await loadSubgraph(client, catalog, failing.map((f) => f.id), propagationTypes(catalog, 'DOWNSTREAM', null), propagationTypes(catalog, 'UPSTREAM', null), HEALTH_DEPTH, HEALTH_LIMIT);
  const severity = computeSeverities(graph, failing.filter((f) => f.state === 'DOWN').map((f) => f.id), failing.filter((f) => f.state === 'DEGRADED').map((f) => f.id));
  return { graph, severity };
}

export function unhealthyServices(catalog: Catalog, { graph, severity }: FailureGraph): string[] {
  if (!graph) return [];
  return [...graph.nodes.values()].filter((n) => catalog.isA(n.class, SERVICE_CLASS) && (severity.get(n.id) ?? 'OK') !== 'OK').map((n) => n.id);
}

/** The health of each wanted service (healthy ones included); services that are not CIs are left out. */
export async function describeHealth(client: Neo4jClient, catalog: Catalog, fg: FailureGraph, now: FailingNow, wanted: string[]): Promise<ServiceHealth[]> {
  const { graph, severity } = fg;
  const missing = wanted.filter((id) => !graph?.nodes.has(id));
  const others = missing.length ? await findCisByIds(client, catalog, missing) : new Map();
  return wanted.flatMap((id): ServiceHealth[] => {
    if (graph?.nodes.has(id)) {
      const s = severity.get(id) ?? 'OK';
      const causes = [...new Set(pathsTo(graph, id, 50).map((p) => p.nodes[0]))].filter((c) => now.state.has(c));
      return [{ service: summaryOf(graph, id), health: s === 'OK' ? 'OPERATIONAL' : s, causes: causes.map((c) => ({ ci: summaryOf(graph, c), state: now.state.get(c)! })), maintenance: now.maintenance }];
    }
    const ci = others.get(id);
    if (!ci) return [];
    const summary: CiSummary = { id, name: ci.name, class: ci.class, criticality: ci.criticality ?? null, owner: ci.owner ?? null, supportGroup: ci.supportGroup ?? null };
    // A failing service itself (an alert on the service) is a start: it is its own cause.
    const own = now.paging.find((f) => f.id === id);
    return [{ service: summary, health: own ? own.state : 'OPERATIONAL', causes: own ? [{ ci: summary, state: own.state }] : [], maintenance: now.maintenance }];
  });
}

function summaryOf(graph: ImpactSubgraph, id: string): CiSummary {
  const n = graph.nodes.get(id)!;
  return { id, name: n.name, class: n.class, criticality: n.criticality, owner: n.owner, supportGroup: n.supportGroup };
}

/**
 * Keeps, for every failing CI, the services its failure reaches, so that a change to some CIs' alerts recomputes
 * only the services those CIs reach, from only the failing CIs that reach the same services. The reach is the
 * graph's: any change to relationships, redundancy or lifecycle must `invalidate()` it.
 */
export class ServiceHealthTracker {
  private readonly reach = new Map<string, Set<string>>();

  constructor(private readonly client: Neo4jClient, private readonly catalog: Catalog) {}

  invalidate(): void {
    this.reach.clear();
  }

  /** Every unhealthy service now, from every failing CI. */
  async full(): Promise<{ services: ServiceHealth[]; cost: HealthCost }> {
    const now = await readFailing(this.client);
    this.reach.clear();
    const fg = await loadFailureGraph(this.client, this.catalog, now.paging);
    this.remember(fg.graph, now.paging.map((f) => f.id));
    const services = await describeHealth(this.client, this.catalog, fg, now, unhealthyServices(this.catalog, fg));
    return { services, cost: { starts: now.paging.length, loaded: fg.graph?.nodes.size ?? 0 } };
  }

  /** The services whose health may have changed because these CIs' alerts (or maintenance) changed, healthy ones included. */
  async around(changed: string[]): Promise<{ services: ServiceHealth[]; cost: HealthCost }> {
    const now = await readFailing(this.client);
    const paging = new Set(now.paging.map((f) => f.id));
    for (const id of [...this.reach.keys()]) if (!paging.has(id)) this.reach.delete(id);
    // What the changed CIs reach, failing or not: a CI that recovered no longer takes down what it reached.
    const around = changed.length
      ? await loadSubgraph(this.client, this.catalog, changed, propagationTypes(this.catalog, 'DOWNSTREAM', null), propagationTypes(this.catalog, 'UPSTREAM', null), HEALTH_DEPTH, HEALTH_LIMIT)
      : null;
    let loaded = around?.nodes.size ?? 0;
    const affected = new Set<string>();
    for (const id of changed) {
      if (!around?.nodes.has(id)) continue;
      const reached = this.servicesIn(around, reachableFrom(around, id));
      for (const s of reached) affected.add(s);
      if (paging.has(id)) this.reach.set(id, reached);
    }
    const unknown = now.paging.filter((f) => !this.reach.has(f.id));
    if (unknown.length) {
      const fg = await loadFailureGraph(this.client, this.catalog, unknown);
      loaded += fg.graph?.nodes.size ?? 0;
      this.remember(fg.graph, unknown.map((f) => f.id));
    }
    const relevant = now.paging.filter((f) => [...this.reach.get(f.id)!].some((s) => affected.has(s)));
    const fg = await loadFailureGraph(this.client, this.catalog, relevant);
    loaded += fg.graph?.nodes.size ?? 0;
    const services = await describeHealth(this.client, this.catalog, fg, now, [...affected]);
    return { services, cost: { starts: changed.length + unknown.length + relevant.length, loaded } };
  }

  private remember(graph: ImpactSubgraph | null, starts: string[]): void {
    if (!graph) return;
    for (const id of starts) if (graph.nodes.has(id)) this.reach.set(id, this.servicesIn(graph, reachableFrom(graph, id)));
  }

  private servicesIn(graph: ImpactSubgraph, ids: Set<string>): Set<string> {
    return new Set([...ids].filter((id) => {
      const n = graph.nodes.get(id);
      return n && this.catalog.isA(n.class, SERVICE_CLASS);
    }));
  }
}
