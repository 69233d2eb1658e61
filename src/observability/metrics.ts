import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { QueryObserver, TransactionMode } from '../graph/client';
import type { PoolStats } from '../graph/pool-stats';
import type { ReconcileObserver } from '../reconcile/reconcile.types';
import type { CleanupReport } from '../reconcile/sources.types';
import { OperationLabels } from './operation-labels';

/** Seconds; from a 1 ms lookup to a 30 s reconcile of 5,000 items. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export interface MetricsOptions {
  /** Distinct GraphQL operation labels kept before the rest count as `other` (default 100). */
  maxOperationLabels?: number;
  /** Node.js process metrics (CPU, memory, event loop lag, GC); default true. */
  processMetrics?: boolean;
}

/**
 * Everything the hub exports at GET /metrics, in its own registry (never prom-client's global one, so
 * two apps in one process, as in tests, do not collide). Label values are bounded: HTTP routes are a
 * fixed set, GraphQL operation names are capped by OperationLabels, sources are the registered ones.
 */
export class CmdbMetrics implements QueryObserver, ReconcileObserver {
  readonly registry = new Registry();
  readonly operations: OperationLabels;

  private readonly httpDuration = new Histogram({
    name: 'cmdb_http_request_duration_seconds', help: 'HTTP requests by route, method and status code.',
    labelNames: ['route', 'method', 'status'] as const, buckets: LATENCY_BUCKETS, registers: [this.registry],
  });
  private readonly operationDuration = new Histogram({
    name: 'cmdb_graphql_operation_duration_seconds',
    help: 'GraphQL operations by operation name (capped; the rest are "other"), type and outcome.',
    labelNames: ['operation', 'type', 'outcome'] as const, buckets: LATENCY_BUCKETS, registers: [this.registry],
  });
  private readonly graphqlErrors = new Counter({
    name: 'cmdb_graphql_errors_total', help: 'GraphQL errors returned to clients, by extensions.code.',
    labelNames: ['code'] as const, registers: [this.registry],
  });
  private readonly queryDuration = new Histogram({
    name: 'cmdb_neo4j_query_duration_seconds', help: 'Cypher round trips (one statement each) by outcome.',
    labelNames: ['outcome'] as const, buckets: LATENCY_BUCKETS, registers: [this.registry],
  });
  private readonly transactionDuration = new Histogram({
    name: 'cmdb_neo4j_transaction_duration_seconds', help: 'Managed transactions (retries included) by access mode and outcome.',
    labelNames: ['mode', 'outcome'] as const, buckets: LATENCY_BUCKETS, registers: [this.registry],
  });
  private readonly reconcileItems = new Counter({
    name: 'cmdb_reconcile_items_total', help: 'Reconciled items by source and operation (dry runs excluded).',
    labelNames: ['source', 'operation'] as const, registers: [this.registry],
  });
  private readonly reconcileRelationships = new Counter({
    name: 'cmdb_reconcile_relationships_total', help: 'Reconciled relationships by source and operation (dry runs excluded).',
    labelNames: ['source', 'operation'] as const, registers: [this.registry],
  });
  private readonly reconcileBatches = new Counter({
    name: 'cmdb_reconcile_batches_total', help: 'Reconcile batches by source and whether they were dry runs.',
    labelNames: ['source', 'dry_run'] as const, registers: [this.registry],
  });
  private readonly syncRuns = new Counter({
    name: 'cmdb_sync_runs_finished_total', help: 'Sync runs finished, by source, mode and final status.',
    labelNames: ['source', 'mode', 'status'] as const, registers: [this.registry],
  });
  private readonly healthRecompute = new Histogram({
    name: 'cmdb_service_health_recompute_seconds', help: 'Live service health recomputations: incremental (around changed CIs) or full.',
    labelNames: ['kind'] as const, buckets: LATENCY_BUCKETS, registers: [this.registry],
  });
  private readonly healthLoaded = new Counter({
    name: 'cmdb_service_health_cis_loaded_total', help: 'CIs the service-health recomputations loaded from Neo4j, by kind.',
    labelNames: ['kind'] as const, registers: [this.registry],
  });
  private readonly cleanup = new Counter({
    name: 'cmdb_cleanup_total',
    help: 'Stale handling after successful FULL runs: what it did, by source (missing_records, marked_stale, retired, deleted, relationships_unasserted, relationships_removed).',
    labelNames: ['source', 'result'] as const, registers: [this.registry],
  });

  /** What the expensive-operations gate holds; set by the app that owns the gate. */
  private expensiveStats: () => { running: number; queued: number } | null = () => null;

  constructor(poolStats: () => PoolStats | null, opts: MetricsOptions = {}) {
    this.operations = new OperationLabels(opts.maxOperationLabels ?? 100);
    const stateGauge = (name: string, help: string, read: () => Record<string, number> | null) =>
      new Gauge({
        name, help, labelNames: ['state'] as const, registers: [this.registry],
        collect() {
          // No source yet: no samples rather than made-up zeros.
          for (const [state, value] of Object.entries(read() ?? {})) this.set({ state }, value);
        },
      });
    stateGauge('cmdb_expensive_operations', 'Expensive analyses (impact, root causes, single points of failure) by state: running, or queued for a slot.', () => this.expensiveStats());
    stateGauge('cmdb_neo4j_pool_connections', 'Neo4j driver connections by state (in_use, idle).', () => {
      const stats = poolStats();
      return stats && { in_use: stats.inUse, idle: stats.idle };
    });
    if (opts.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** Reports this gate's occupancy as cmdb_expensive_operations. */
  watchExpensiveGate(stats: () => { running: number; queued: number }): void {
    this.expensiveStats = stats;
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The Prometheus text exposition of every metric. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  httpRequest(route: string, method: string, status: number, seconds: number): void {
    this.httpDuration.observe({ route, method, status: String(status) }, seconds);
  }

  graphqlOperation(name: string | null, type: string, rootField: string | null, errorCodes: readonly string[], seconds: number): void {
    this.operationDuration.observe({ operation: this.operations.label(name, rootField), type, outcome: errorCodes.length ? 'error' : 'success' }, seconds);
    for (const code of errorCodes) this.graphqlErrors.inc({ code });
  }

  queryFinished(seconds: number, ok: boolean): void {
    this.queryDuration.observe({ outcome: ok ? 'success' : 'error' }, seconds);
  }

  transactionFinished(mode: TransactionMode, seconds: number, ok: boolean): void {
    this.transactionDuration.observe({ mode, outcome: ok ? 'success' : 'error' }, seconds);
  }

  batchReconciled(source: string, dryRun: boolean, totals: Parameters<ReconcileObserver['batchReconciled']>[2]): void {
    this.reconcileBatches.inc({ source, dry_run: String(dryRun) });
    if (dryRun) return;
    const items = { created: totals.created, updated: totals.updated, unchanged: totals.noChange, skipped: totals.skipped, error: totals.errors };
    for (const [operation, n] of Object.entries(items)) if (n) this.reconcileItems.inc({ source, operation }, n);
    const rels = { created: totals.relationshipsCreated, updated: totals.relationshipsUpdated, unchanged: totals.relationshipsUnchanged, error: totals.relationshipErrors };
    for (const [operation, n] of Object.entries(rels)) if (n) this.reconcileRelationships.inc({ source, operation }, n);
  }

  runFinished(source: string, mode: string, status: string, report: CleanupReport | null): void {
    this.syncRuns.inc({ source, mode, status });
    if (!report) return;
    const results: Record<string, number> = {
      missing_records: report.missingRecords, marked_stale: report.markedStale, retired: report.retired, deleted: report.deleted,
      relationships_unasserted: report.relationshipsUnasserted, relationships_removed: report.relationshipsRemoved,
    };
    for (const [result, n] of Object.entries(results)) this.cleanup.inc({ source, result }, n);
  }

  serviceHealthComputed(kind: 'incremental' | 'full', loaded: number, ms: number): void {
    this.healthRecompute.observe({ kind }, ms / 1000);
    this.healthLoaded.inc({ kind }, loaded);
  }
}
