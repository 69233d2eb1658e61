import { ConcurrencyGate, unboundedGate } from '../runtime/concurrency-gate';
import { Catalog } from '../model/catalog';
import { CRITICALITIES } from '../model/catalog.types';
import { FieldError, InputError, NotFoundError } from '../model/field-error';
import { Neo4jClient } from '../graph/client';
import { updateRedundancy } from '../graph/impact.queries';
import { describeHealth, loadFailureGraph, readFailing, sortHealth, unhealthyServices } from './service-health';
import { ChangeAuthor } from '../graph/history.queries';
import { MANUAL_SOURCE } from '../reconcile/sources.types';
import { ImpactDirection, propagationTypes } from './propagation';
import { computeSeverities, RedundancyRule, Severity, severityRank } from './severity';
import { ImpactSubgraph, loadSubgraph, loadSubgraphAsOf, parseRedundancy, pathsTo } from './impact-graph';
import { AffectedCi, CiSummary, ImpactAnswer, PathStep, ServiceHealth } from './impact.types';

export interface ImpactQuery {
  ciIds: string[];
  direction?: ImpactDirection | null;
  maxDepth?: number | null;
  relationshipTypes?: string[] | null;
  classes?: string[] | null;
  asOf?: string | null;
  limit?: number | null;
}

export const DEFAULT_DEPTH = 6;
export const MAX_DEPTH = 10;
/** A change form must not under-report: by default a change's effect is followed as far as impact allows. */
export const CHANGE_IMPACT_DEFAULT_DEPTH = MAX_DEPTH;
export const DEFAULT_LIMIT = 5000;
export const MAX_LIMIT = 50000;
const SERVICE_CLASS = 'Service';
const critRank = (c: string | null) => (c ? (CRITICALITIES as readonly string[]).indexOf(c) : CRITICALITIES.length);

type RootCause = { candidate: AffectedCi; explains: CiSummary[]; explainedCount: number };

/** Impact analysis and the answers built on it; every question loads one bounded subgraph. */
export class ImpactService {
  constructor(
    private readonly client: Neo4jClient,
    private readonly catalog: Catalog,
    /** Expensive analyses queue here (one gate per process). */
    private readonly gate: ConcurrencyGate = unboundedGate(),
    /** Who redundancy changes are recorded as (a manual edit: the principal). */
    private readonly by: ChangeAuthor = { actor: MANUAL_SOURCE, principal: null },
  ) {}

  impact(q: ImpactQuery): Promise<ImpactAnswer> {
    return this.gate.run(() => this.impactNow(q));
  }

  private async impactNow(q: ImpactQuery): Promise<ImpactAnswer> {
    const direction = q.direction ?? 'DOWNSTREAM';
    const { depth, limit, asOf } = this.checkQuery(q);
    const walk = propagationTypes(this.catalog, direction, q.relationshipTypes);
    const providerWalk = propagationTypes(this.catalog, 'UPSTREAM', q.relationshipTypes);
    const graph = asOf
      ? await loadSubgraphAsOf(this.client, this.catalog, q.ciIds, walk, providerWalk, depth, limit, asOf)
      : await loadSubgraph(this.client, this.catalog, q.ciIds, walk, direction === 'DOWNSTREAM' ? providerWalk : null, depth, limit);
    this.checkStarts(graph, q.ciIds);
    const severity = direction === 'DOWNSTREAM' ? computeSeverities(graph, q.ciIds) : null;
    return this.answer(graph, direction, severity, q.classes ?? null, asOf);
  }

  /** CIs whose failure alone takes the service DOWN, given the redundancy rules. */
  singlePointsOfFailure(serviceId: string, maxDepth?: number | null): Promise<AffectedCi[]> {
    return this.gate.run(() => this.singlePointsOfFailureNow(serviceId, maxDepth));
  }

  private async singlePointsOfFailureNow(serviceId: string, maxDepth?: number | null): Promise<AffectedCi[]> {
    const { depth } = this.checkQuery({ ciIds: [serviceId], maxDepth });
    const upstream = propagationTypes(this.catalog, 'UPSTREAM', null);
    const graph = await loadSubgraph(this.client, this.catalog, [serviceId], upstream, upstream, depth, MAX_LIMIT);
    this.checkStarts(graph, [serviceId]);
    const spofs = graph.reached.filter((r) => computeSeverities(graph, [r.id]).get(serviceId) === 'DOWN');
    return spofs.map((r) => this.affected(graph, r.id, r.depth, 'DOWN'));
  }

  /**
   * Upstream CIs that would explain most of the observed failures, ranked: each candidate is
   * failed alone in the loaded subgraph and the observed CIs it affects are counted.
   */
  rootCauseCandidates(ciIds: string[], limit = 10, maxDepth?: number | null): Promise<RootCause[]> {
    return this.gate.run(() => this.rootCauseCandidatesNow(ciIds, limit, maxDepth));
  }

  private async rootCauseCandidatesNow(ciIds: string[], limit: number, maxDepth?: number | null): Promise<RootCause[]> {
    const { depth } = this.checkQuery({ ciIds, maxDepth });
    const upstream = propagationTypes(this.catalog, 'UPSTREAM', null);
    const graph = await loadSubgraph(this.client, this.catalog, ciIds, upstream, upstream, depth, MAX_LIMIT);
    this.checkStarts(graph, ciIds);
    const depthOf = new Map<string, number>([...ciIds.map((id) => [id, 0] as const), ...graph.reached.map((r) => [r.id, r.depth] as const)]);
    const ranked = [...depthOf.keys()].map((id) => {
      const severity = computeSeverities(graph, [id]);
      const explains = ciIds.filter((o) => (severity.get(o) ?? 'OK') !== 'OK');
      return { id, explains, down: explains.filter((o) => severity.get(o) === 'DOWN').length };
    });
    // More explained failures first, then more of them DOWN, then the nearest cause.
    ranked.sort((a, b) => b.explains.length - a.explains.length || b.down - a.down || depthOf.get(a.id)! - depthOf.get(b.id)! || graph.nodes.get(a.id)!.name.localeCompare(graph.nodes.get(b.id)!.name));
    return ranked.filter((r) => r.explains.length > 0).slice(0, limit).map((r) => ({
      candidate: this.affected(graph, r.id, depthOf.get(r.id)!, null),
      explains: r.explains.map((id) => this.summary(graph, id)),
      explainedCount: r.explains.length,
    }));
  }

  /**
   * Each business and technical service's health now, from the CIs open alerts make DOWN or DEGRADED, through the
   * redundancy-aware impact. CIs in maintenance (lifecycle, or an open change whose window covers now) do not count
   * as failing: they are listed apart. With `serviceIds`, those services, healthy ones included.
   */
  serviceHealth(serviceIds: string[] | null): Promise<ServiceHealth[]> {
    return this.gate.run(() => this.serviceHealthNow(serviceIds));
  }

  private async serviceHealthNow(serviceIds: string[] | null): Promise<ServiceHealth[]> {
    const now = await readFailing(this.client);
    const fg = await loadFailureGraph(this.client, this.catalog, now.paging);
    return sortHealth(await describeHealth(this.client, this.catalog, fg, now, serviceIds ?? unhealthyServices(this.catalog, fg)));
  }

  /** A planned change on these CIs: the services it affects, with severity, criticality and owners. */
  async changeImpact(ciIds: string[], maxDepth?: number | null, asOf?: string | null): Promise<ImpactAnswer & { risk: string }> {
    const answer = await this.impact({ ciIds, direction: 'DOWNSTREAM', asOf, maxDepth: maxDepth ?? CHANGE_IMPACT_DEFAULT_DEPTH });
    const down = answer.services.filter((s) => s.severity === 'DOWN');
    const high = (s: AffectedCi) => critRank(s.ci.criticality) <= 1;
    const risk = down.some(high) ? 'HIGH' : down.length || answer.services.some(high) ? 'MEDIUM' : answer.services.length ? 'LOW' : 'NONE';
    return { ...answer, risk };
  }

  async setRedundancy(ciId: string, type: string, quorum: number | null): Promise<RedundancyRule[]> {
    const errors: FieldError[] = [];
    if (!this.catalog.getRelationshipType(type)) errors.push({ field: 'type', reason: `relationship type '${type}' is not in the catalog` });
    if (quorum !== null && (!Number.isInteger(quorum) || quorum < 1)) errors.push({ field: 'quorum', reason: `must be a positive integer or null, got ${quorum}` });
    if (errors.length) throw new InputError(errors);
    const saved = await updateRedundancy(this.client, ciId, (current) => {
      const rules = parseRedundancy(current).filter((r) => r.type !== type);
      if (quorum !== null) rules.push({ type, quorum });
      return { stored: rules.length ? JSON.stringify(rules) : null, result: rules };
    }, this.by, new Date().toISOString());
    if (!saved) throw new NotFoundError('ciId', `no CI with id '${ciId}'`);
    return saved;
  }

  private checkQuery(q: ImpactQuery): { depth: number; limit: number; asOf: string | null } {
    const errors: FieldError[] = [];
    if (!q.ciIds?.length) errors.push({ field: 'ciIds', reason: 'needs at least one CI id' });
    if (q.ciIds?.length > 1000) errors.push({ field: 'ciIds', reason: `at most 1000 CIs, got ${q.ciIds.length}` });
    const depth = q.maxDepth ?? DEFAULT_DEPTH;
    if (!Number.isInteger(depth) || depth < 1 || depth > MAX_DEPTH) errors.push({ field: 'maxDepth', reason: `must be between 1 and ${MAX_DEPTH}, got ${depth}` });
    const limit = q.limit ?? DEFAULT_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) errors.push({ field: 'limit', reason: `must be between 1 and ${MAX_LIMIT}, got ${limit}` });
    for (const c of q.classes ?? []) if (!this.catalog.getClass(c)) errors.push({ field: 'classes', reason: `class '${c}' is not in the model` });
    let asOf: string | null = null;
    if (q.asOf) {
      if (Number.isNaN(Date.parse(q.asOf))) errors.push({ field: 'asOf', reason: `must be an ISO-8601 date-time, got '${q.asOf}'` });
      else asOf = new Date(q.asOf).toISOString();
    }
    if (errors.length) throw new InputError(errors);
    return { depth, limit, asOf };
  }

  private checkStarts(graph: ImpactSubgraph, ids: string[]): void {
    const missing = ids.filter((id) => !graph.nodes.has(id));
    if (missing.length) throw new NotFoundError('ciIds', `no CI with id ${missing.map((m) => `'${m}'`).join(', ')}`);
  }

  private summary(graph: ImpactSubgraph, id: string): CiSummary {
    const n = graph.nodes.get(id)!;
    return { id, name: n.name, class: n.class, criticality: n.criticality, owner: n.owner, supportGroup: n.supportGroup };
  }

  /** An affected CI; its explaining paths are only built when read (a large impact rarely asks for them all). */
  private affected(graph: ImpactSubgraph, id: string, depth: number, severity: Severity | null): AffectedCi {
    return new LazyAffectedCi(this.summary(graph, id), severity, depth, () => (depth === 0 ? [] : pathsTo(graph, id).map((p) => p.types.map((type, i) => ({
      from: this.summary(graph, p.nodes[i]),
      type,
      forward: p.sources[i] === p.nodes[i],
      to: this.summary(graph, p.nodes[i + 1]),
    })))));
  }

  private answer(graph: ImpactSubgraph, direction: string, severity: Map<string, Severity> | null, classes: string[] | null, asOf: string | null): ImpactAnswer {
    const memo = (test: (cls: string) => boolean) => {
      const known = new Map<string, boolean>();
      return (cls: string) => known.get(cls) ?? (known.set(cls, test(cls)).get(cls) as boolean);
    };
    const keep = memo((cls) => !classes?.length || classes.some((c) => this.catalog.isA(cls, c)));
    const isService = memo((cls) => this.catalog.isA(cls, SERVICE_CLASS));
    const affected = graph.reached
      .map((r) => this.affected(graph, r.id, r.depth, severity ? severity.get(r.id) ?? 'OK' : null))
      .filter((a) => a.severity !== 'OK' && keep(a.ci.class));
    const services = affected
      .filter((a) => isService(a.ci.class))
      .sort((a, b) => critRank(a.ci.criticality) - critRank(b.ci.criticality) || severityRank(b.severity ?? 'OK') - severityRank(a.severity ?? 'OK') || a.ci.name.localeCompare(b.ci.name));
    const counts = new Map<string, { class: string; count: number; down: number; degraded: number }>();
    for (const a of affected) {
      const c = counts.get(a.ci.class) ?? { class: a.ci.class, count: 0, down: 0, degraded: 0 };
      c.count++;
      if (a.severity === 'DOWN') c.down++;
      if (a.severity === 'DEGRADED') c.degraded++;
      counts.set(a.ci.class, c);
    }
    const notify = new Map<string, ImpactAnswer['notify'][number]>();
    const failed = graph.starts.map((id) => this.summary(graph, id));
    for (const a of [...failed.map((ci) => ({ ci })), ...affected]) {
      for (const role of ['supportGroup', 'owner'] as const) {
        const contact = a.ci[role];
        if (!contact) continue;
        const entry = notify.get(`${role}|${contact}`) ?? { contact, role, cis: 0, services: [] };
        entry.cis++;
        if (isService(a.ci.class)) entry.services.push(a.ci.name);
        notify.set(`${role}|${contact}`, entry);
      }
    }
    return {
      direction,
      asOf,
      failed,
      affected,
      services,
      countsByClass: [...counts.values()].sort((a, b) => b.count - a.count || a.class.localeCompare(b.class)),
      notify: [...notify.values()].sort((a, b) => b.services.length - a.services.length || b.cis - a.cis || a.contact.localeCompare(b.contact)),
      truncated: graph.truncated,
    };
  }
}

class LazyAffectedCi implements AffectedCi {
  private built: PathStep[][] | undefined;
  constructor(readonly ci: CiSummary, readonly severity: Severity | null, readonly depth: number, private readonly explain: () => PathStep[][]) {}

  get paths(): PathStep[][] {
    return (this.built ??= this.explain());
  }
}
