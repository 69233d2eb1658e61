/**
 * Service health from the CIs open alerts make DOWN or DEGRADED, through the redundancy-aware impact. The query
 * computes it for the whole estate; the tracker recomputes only around the CIs whose alerts changed, which is what
 * the live feed does on every alert (one alert on a pod walks from the pod and recomputes what the pod reaches).
 */
import { Catalog } from '../model/catalog';
import { CRITICALITIES } from '../model/catalog.types';
import { Neo4jClient } from '../graph/client';
import { failingCis } from '../graph/alert.queries';
import { findCisByIds } from '../graph/ci.queries';
import { propagationTypes } from './propagation';
import { computeSeverities, reachableFrom, recomputeRegion, Severity, SeverityGraph } from './severity';
import { ImpactNode, ImpactSubgraph, loadSubgraph, pathsTo } from './impact-graph';
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

/** The failure graph kept between computations: the union of the walks from every failing CI, with providers. */
interface KeptGraph {
  nodes: Map<string, ImpactNode>;
  providers: SeverityGraph['providers'];
  redundancy: SeverityGraph['redundancy'];
  groupSizes: Map<string, Map<string, number>>;
}

/**
 * Live service health without walking the estate on every alert. It keeps the failure graph (the walks from every
 * failing CI), the severity of each CI in it, and the services each failing CI reaches. When some CIs' state changes,
 * only the newly failing ones are walked (a pod: a handful of CIs), and severity is recomputed only in the region
 * the changed CIs reach; the services in that region are the answer. The graph's shape is assumed unchanged:
 * relationship, redundancy and lifecycle changes must `invalidate()` it (the next computation is then full).
 */
export class ServiceHealthTracker {
  private kept: KeptGraph | null = null;
  private severity = new Map<string, Severity>();
  private failing = new Map<string, 'DOWN' | 'DEGRADED'>();
  /** The services each CI that failed since the last full computation reaches (kept after it recovers: alerts flap). */
  private readonly reach = new Map<string, Set<string>>();

  constructor(private readonly client: Neo4jClient, private readonly catalog: Catalog) {}

  invalidate(): void {
    this.kept = null;
  }

  /** Every unhealthy service now, from every failing CI; the kept graph is rebuilt. */
  async full(): Promise<{ services: ServiceHealth[]; cost: HealthCost }> {
    const now = await readFailing(this.client);
    const fg = await loadFailureGraph(this.client, this.catalog, now.paging);
    this.kept = { nodes: new Map(), providers: new Map(), redundancy: new Map(), groupSizes: new Map() };
    if (fg.graph) this.merge(fg.graph);
    this.severity = fg.severity;
    this.failing = new Map(now.paging.map((f) => [f.id, f.state]));
    this.reach.clear();
    const view = this.view();
    for (const id of this.failing.keys()) this.reach.set(id, this.servicesIn(reachableFrom(view, id)));
    const services = [...this.kept.nodes.values()].filter((n) => this.isService(n.class) && (this.severity.get(n.id) ?? 'OK') !== 'OK').map((n) => this.health(n.id, now));
    return { services, cost: { starts: now.paging.length, loaded: fg.graph?.nodes.size ?? 0 } };
  }

  /**
   * The services whose health may have changed since the last computation, healthy ones included: those reached by
   * the CIs named (their alerts changed) or whose state differs from what was kept (a change window, another instance).
   */
  async around(changed: string[]): Promise<{ services: ServiceHealth[]; cost: HealthCost }> {
    if (!this.kept) return this.full();
    const now = await readFailing(this.client);
    const next = new Map(now.paging.map((f) => [f.id, f.state]));
    const moved = new Set(changed);
    for (const [id, state] of next) if (this.failing.get(id) !== state) moved.add(id);
    for (const id of this.failing.keys()) if (!next.has(id)) moved.add(id);
    // Walk only from CIs whose reach is not known yet (failing for the first time since the last full computation).
    const unwalked = [...moved].filter((id) => !this.reach.has(id));
    let loaded = 0;
    if (unwalked.length) {
      const sub = await loadSubgraph(this.client, this.catalog, unwalked, propagationTypes(this.catalog, 'DOWNSTREAM', null), propagationTypes(this.catalog, 'UPSTREAM', null), HEALTH_DEPTH, HEALTH_LIMIT);
      this.merge(sub);
      loaded = sub.nodes.size;
    }
    const view = this.view();
    const region = new Set<string>();
    for (const id of moved) {
      if (!this.kept.nodes.has(id)) continue;
      const reached = reachableFrom(view, id);
      for (const r of reached) region.add(r);
      this.reach.set(id, this.servicesIn(reached));
    }
    this.failing = next;
    recomputeRegion(view, this.severity, region, next);
    const services = [...region].filter((id) => this.isService(this.kept!.nodes.get(id)!.class)).map((id) => this.health(id, now));
    return { services, cost: { starts: unwalked.length, loaded } };
  }

  private health(id: string, now: FailingNow): ServiceHealth {
    const s = this.severity.get(id) ?? 'OK';
    const causes = [...this.reach].filter(([c, services]) => this.failing.has(c) && services.has(id)).map(([c]) => c);
    return {
      service: this.summary(id), health: s === 'OK' ? 'OPERATIONAL' : s, maintenance: now.maintenance,
      causes: s === 'OK' ? [] : causes.map((c) => ({ ci: this.summary(c), state: this.failing.get(c)! })),
    };
  }

  private summary(id: string): CiSummary {
    const n = this.kept!.nodes.get(id)!;
    return { id, name: n.name, class: n.class, criticality: n.criticality, owner: n.owner, supportGroup: n.supportGroup };
  }

  /** Adds a walk to the kept graph; a CI's providers are the union of what each walk listed. */
  private merge(graph: ImpactSubgraph): void {
    const k = this.kept!;
    for (const [id, node] of graph.nodes) if (!k.nodes.has(id)) k.nodes.set(id, node);
    for (const [id, list] of graph.providers) {
      const have = k.providers.get(id);
      if (!have) k.providers.set(id, [...list]);
      else for (const p of list) if (!have.some((h) => h.id === p.id && h.type === p.type)) have.push(p);
    }
    for (const [id, rules] of graph.redundancy) k.redundancy.set(id, rules);
    for (const [id, sizes] of graph.groupSizes ?? []) k.groupSizes.set(id, sizes);
  }

  /** A fresh view object: severity caches each graph's consumers by identity, and the kept graph has grown. */
  private view(): SeverityGraph {
    const k = this.kept!;
    return { providers: k.providers, redundancy: k.redundancy, groupSizes: k.groupSizes };
  }

  private isService(cls: string): boolean {
    return this.catalog.isA(cls, SERVICE_CLASS);
  }

  private servicesIn(ids: Set<string>): Set<string> {
    return new Set([...ids].filter((id) => {
      const n = this.kept!.nodes.get(id);
      return n && this.isService(n.class);
    }));
  }
}
