import { randomUUID } from 'crypto';
import { Catalog } from '../model/catalog';
import { ConflictError, FieldError, InputError, NotFoundError } from '../model/field-error';
import { didYouMean } from '../model/suggest';
import { Neo4jClient } from '../graph/client';
import {
  closeSyncRun, findSyncRun, startSyncRunExclusive, listDataSources, listPrecedenceRules, listSyncRuns, PrecedenceRuleRecord,
  saveRunCleanup, savePrecedenceRule, upsertDataSource,
} from '../graph/source.queries';
import { deleteRetiredCis, flagMissingRecords, withdrawEdgeAssertions } from '../graph/cleanup.queries';
import {
  CleanupReport, DataSource, DELETION_POLICIES, DeletionPolicy, MANUAL_SOURCE, RELATIONSHIP_POLICIES, RelationshipPolicy,
  RUN_STATUSES, SOURCE_KINDS, SourceKind, SYNC_MODES, SyncMode, SyncRun,
} from './sources.types';
import { NO_RECONCILE_OBSERVER, ReconcileObserver } from './reconcile.types';

export interface RegisterSourceData {
  name: string;
  kind: string;
  priority?: number | null;
  stalenessHours?: number | null;
  deletionPolicy?: string | null;
  retentionDays?: number | null;
  relationshipPolicy?: string | null;
}

const SOURCE_NAME = /^[a-z][a-z0-9_.-]{0,63}$/;
/** A run RUNNING longer than this is taken for abandoned (its connector died): the next start closes it as FAILED. */
export const RUN_EXPIRY_HOURS = 12;
const DAY = 86_400_000;

/** Data sources, sync runs, precedence rules, and the stale handling a successful FULL run triggers. */
export class SyncRunService {
  constructor(
    private readonly client: Neo4jClient,
    private readonly catalog: Catalog,
    private readonly observer: ReconcileObserver = NO_RECONCILE_OBSERVER,
    /** The caller whose request starts or finishes a run; null for in-process work. */
    private readonly principal: string | null = null,
  ) {}

  listSources(): Promise<DataSource[]> {
    return listDataSources(this.client);
  }

  async registerSource(input: RegisterSourceData): Promise<DataSource> {
    const errors: FieldError[] = [];
    if (!SOURCE_NAME.test(input.name)) errors.push({ field: 'name', reason: `must match ${SOURCE_NAME} (lower case), got '${input.name}'` });
    const oneOf = <T extends string>(field: string, value: string | null | undefined, allowed: readonly T[], fallback: T): T => {
      if (value === null || value === undefined) return fallback;
      if (!allowed.includes(value as T)) errors.push({ field, reason: `must be one of ${allowed.join(', ')}, got '${value}'` });
      return value as T;
    };
    const kind = oneOf<SourceKind>('kind', input.kind, SOURCE_KINDS, 'DISCOVERY');
    if ((input.name === MANUAL_SOURCE) !== (kind === 'MANUAL')) errors.push({ field: 'kind', reason: `only the source '${MANUAL_SOURCE}' is of kind MANUAL` });
    const positive = (field: string, value: number | null | undefined, fallback: number, min: number) => {
      if (value === null || value === undefined) return fallback;
      if (!Number.isFinite(value) || value < min) errors.push({ field, reason: `must be a number >= ${min}, got ${value}` });
      return value;
    };
    const source = {
      name: input.name,
      kind,
      priority: positive('priority', input.priority, kind === 'MANUAL' ? 1 : 100, 1),
      stalenessHours: positive('stalenessHours', input.stalenessHours, 72, 0),
      deletionPolicy: oneOf<DeletionPolicy>('deletionPolicy', input.deletionPolicy, DELETION_POLICIES, 'MARK_STALE'),
      retentionDays: positive('retentionDays', input.retentionDays, 30, 0),
      relationshipPolicy: oneOf<RelationshipPolicy>('relationshipPolicy', input.relationshipPolicy, RELATIONSHIP_POLICIES, 'REMOVE'),
    };
    if (errors.length) throw new InputError(errors);
    return upsertDataSource(this.client, source, new Date().toISOString());
  }

  async startRun(sourceName: string, scope: string, mode: string): Promise<SyncRun> {
    const errors: FieldError[] = [];
    const sources = await listDataSources(this.client);
    if (!sources.some((s) => s.name === sourceName)) errors.push({ field: 'source', reason: `source '${sourceName}' is not registered${didYouMean(sourceName, sources.map((s) => s.name))}` });
    if (!scope || !scope.trim()) errors.push({ field: 'scope', reason: 'is required (e.g. a cluster, an account or a subnet)' });
    if (!SYNC_MODES.includes(mode as SyncMode)) errors.push({ field: 'mode', reason: `must be FULL or DELTA, got '${mode}'` });
    if (errors.length) throw new InputError(errors);
    const now = new Date();
    const { started, blocking } = await startSyncRunExclusive(this.client, {
      id: randomUUID(), source: sourceName, scope: scope.trim(), mode: mode as SyncMode, status: 'RUNNING',
      startedAt: now.toISOString(), finishedAt: null, itemsReported: 0, batches: 0,
      startedBy: this.principal, finishedBy: null,
    }, new Date(now.getTime() - RUN_EXPIRY_HOURS * 3_600_000).toISOString());
    if (blocking) {
      throw new ConflictError('scope',
        `a FULL run of '${sourceName}' over scope '${scope.trim()}' is already RUNNING (${blocking.id}, started ${blocking.startedAt}${blocking.startedBy ? ` by ${blocking.startedBy}` : ''}); ` +
          `wait for it, or end it with finishSyncRun(runId: "${blocking.id}", status: ABORTED); a run left RUNNING expires as FAILED after ${RUN_EXPIRY_HOURS} h`, []);
    }
    return started!;
  }

  /**
   * Ends a run. Only a FULL run that SUCCEEDED triggers stale handling, limited to its own source
   * and scope; FAILED and ABORTED runs (and runs never finished) change nothing.
   */
  async finishRun(runId: string, status: string): Promise<SyncRun> {
    if (!RUN_STATUSES.includes(status as SyncRun['status']) || status === 'RUNNING') {
      throw new InputError([{ field: 'status', reason: `must be SUCCEEDED, FAILED or ABORTED, got '${status}'` }]);
    }
    const now = new Date().toISOString();
    const run = await closeSyncRun(this.client, runId, status, now, this.principal);
    if (!run) {
      const existing = await findSyncRun(this.client, runId);
      if (!existing) throw new NotFoundError('runId', `no sync run '${runId}'`);
      throw new InputError([{ field: 'runId', reason: `run '${runId}' is already ${existing.status}` }]);
    }
    if (run.mode !== 'FULL' || run.status !== 'SUCCEEDED') {
      this.observer.runFinished(run.source, run.mode, run.status, null);
      return run;
    }
    const source = (await listDataSources(this.client)).find((s) => s.name === run.source)!;
    const cleaned = await saveRunCleanup(this.client, run.id, await this.cleanup(source, run, now));
    this.observer.runFinished(run.source, run.mode, run.status, cleaned.cleanup);
    return cleaned;
  }

  private async cleanup(source: DataSource, run: SyncRun, now: string): Promise<CleanupReport> {
    const scope = { source: source.name, scope: run.scope, runId: run.id, now, principal: this.principal };
    const report: CleanupReport = { missingRecords: 0, markedStale: 0, retired: 0, deleted: 0, relationshipsUnasserted: 0, relationshipsRemoved: 0 };
    const markCis = source.deletionPolicy === 'MARK_STALE' ? 'STALE' : source.deletionPolicy === 'RETIRE_THEN_DELETE' ? 'RETIRED' : null;
    const missing = await flagMissingRecords(this.client, { ...scope, markCis });
    report.missingRecords = missing.missing;
    if (markCis === 'STALE') report.markedStale = missing.marked;
    if (markCis === 'RETIRED') {
      report.retired = missing.marked;
      const retiredBefore = new Date(Date.parse(now) - source.retentionDays * DAY).toISOString();
      report.deleted = await deleteRetiredCis(this.client, { ...scope, retiredBefore });
    }
    if (source.relationshipPolicy === 'REMOVE') {
      const edges = await withdrawEdgeAssertions(this.client, scope);
      report.relationshipsUnasserted = edges.unasserted;
      report.relationshipsRemoved = edges.removed;
    }
    return report;
  }

  getRun(id: string): Promise<SyncRun | null> {
    return findSyncRun(this.client, id);
  }

  listRuns(source: string | null, limit: number): Promise<SyncRun[]> {
    return listSyncRuns(this.client, source, Math.min(Math.max(limit, 1), 500));
  }

  listPrecedenceRules(): Promise<PrecedenceRuleRecord[]> {
    return listPrecedenceRules(this.client);
  }

  /** Ranks sources for a class (and its subclasses) and one attribute, or `*` for all of them. */
  async setPrecedenceRule(rule: PrecedenceRuleRecord): Promise<PrecedenceRuleRecord> {
    const errors: FieldError[] = [];
    const cls = this.catalog.getClass(rule.class);
    if (!cls) errors.push({ field: 'class', reason: `class '${rule.class}' is not in the model${didYouMean(rule.class, this.catalog.classes.keys())}` });
    const fields = ['name', 'environment', 'owner', 'supportGroup', 'criticality'];
    if (cls && rule.attribute !== '*' && !cls.attributes.has(rule.attribute) && !fields.includes(rule.attribute)) {
      errors.push({ field: 'attribute', reason: `class ${cls.name} has no attribute '${rule.attribute}'${didYouMean(rule.attribute, cls.attributes.keys())}` });
    }
    const known = new Set((await listDataSources(this.client)).map((s) => s.name));
    const unknown = rule.sources.filter((s) => !known.has(s));
    if (unknown.length) errors.push({ field: 'sources', reason: `unregistered source(s): ${unknown.join(', ')}` });
    if (new Set(rule.sources).size !== rule.sources.length) errors.push({ field: 'sources', reason: 'lists a source twice' });
    if (errors.length) throw new InputError(errors);
    await savePrecedenceRule(this.client, rule);
    return rule;
  }
}
