/**
 * Runs a connector: parse → transform (the connector) → load through `reconcile` in batches of whole record groups →
 * cleanup by finishing the sync run. Cleanup (stale CIs, withdrawn edges) happens only when every batch was loaded:
 * a malformed file or a failed request finishes the run as FAILED, which changes nothing.
 */
import type { Readable } from 'stream';
import { ApiError, HubClient } from './api-client';
import { Connector, ConnectorRun, ParseError, ReconcileRelationship, RecordGroup, RecordPosition, RunContext } from './contract';

export interface ImportOptions {
  source: string;
  /** How the source is registered if it is not yet. */
  sourceKind?: 'DISCOVERY' | 'IMPORT';
  scope: string;
  mode: 'FULL' | 'DELTA';
  dryRun: boolean;
  /** Items per reconcile call (whole groups, so a batch may hold a few more). */
  batchSize?: number;
  onProgress?: (p: { records: number; batches: number; items: number }) => void;
  /** Aborting stops the run at the next record; it ends FAILED, so nothing is cleaned up. */
  signal?: AbortSignal;
  /** As the connector's run says (default true): whether loaded refs must be remembered for later records. */
  refersAcrossRecords?: boolean;
}

export interface ImportProblem {
  file: string;
  at: string;
  key: string | null;
  field: string;
  reason: string;
}

export interface ImportReport {
  connector: string;
  source: string;
  scope: string;
  mode: 'FULL' | 'DELTA';
  dryRun: boolean;
  runId: string | null;
  status: 'SUCCEEDED' | 'FAILED';
  failure: string | null;
  records: number;
  items: number;
  batches: number;
  totals: { created: number; updated: number; noChange: number; skipped: number; errors: number; relationshipsCreated: number; relationshipErrors: number };
  cleanup: Record<string, number> | null;
  problems: ImportProblem[];
  ms: number;
}

/** Problems kept in a report; the rest are counted. */
const MAX_PROBLEMS = 1000;

const RECONCILE = `mutation ConnectorBatch($input: ReconcileInput!) { reconcile(input: $input) {
  items { ref ciId operation errors { field reason } }
  relationships { from to operation errors { field reason } }
  totals { created updated noChange skipped errors relationshipsCreated relationshipErrors } } }`;

type Totals = ImportReport['totals'];
interface ReconcileAnswer {
  reconcile: {
    items: { ref: string; ciId: string | null; operation: string; errors: { field: string; reason: string }[] }[];
    relationships: { from: string; to: string; operation: string; errors: { field: string; reason: string }[] }[];
    totals: Totals;
  };
}

/** Registers the source on first use; a token that may not gets the exact command to ask an admin for. */
async function ensureSource(hub: HubClient, source: string, kind: 'DISCOVERY' | 'IMPORT'): Promise<void> {
  const { dataSources } = await hub.request<{ dataSources: { name: string }[] }>('query ConnectorSources { dataSources { name } }');
  if (dataSources.some((s) => s.name === source)) return;
  try {
    await hub.request('mutation ConnectorRegister($name: String!, $kind: SourceKind!) { registerSource(input: { name: $name, kind: $kind }) { name } }', { name: source, kind });
  } catch (e) {
    if (e instanceof ApiError && e.code === 'FORBIDDEN') {
      throw new ApiError(`source '${source}' is not registered and this token may not register it; ask an admin to run: ` +
        `mutation { registerSource(input: { name: "${source}", kind: ${kind} }) { name } }`, 'FORBIDDEN', e.status);
    }
    throw e;
  }
}

/** The record groups of a run's files, in order, then those that needed all of them. */
export async function* fromRun(run: ConnectorRun, inputs: { stream: Readable; file: string }[]): AsyncIterable<RecordGroup> {
  for (const { stream, file } of inputs) yield* run.parse(stream, file);
  if (run.finish) yield* run.finish();
}

export function fromFiles(connector: Connector, context: RunContext, inputs: { stream: Readable; file: string }[]): AsyncIterable<RecordGroup> {
  return fromRun(connector.start(context), inputs);
}

/**
 * Relationships whose far end is a record of another batch: refs are local to one reconcile call, so an end loaded
 * earlier is sent as its CI id, and an end not loaded yet waits until its record is.
 */
class CrossBatchRefs {
  /** ref -> CI id (null: a dry run's would-be CI) of every item loaded so far. */
  private readonly loaded = new Map<string, string | null>();

  /** `remember` false: no record refers to another's items, so nothing is kept. */
  constructor(private readonly remember: boolean) {}
  private waiting: { rel: ReconcileRelationship; position: RecordPosition }[] = [];

  /** The relationship as this batch can send it, or null when it must wait for a later record. */
  resolve(rel: ReconcileRelationship, position: RecordPosition, local: Set<string>): ReconcileRelationship | null {
    const end = (ref: string) => (local.has(ref) ? ref : this.loaded.get(ref));
    const from = end(rel.from);
    const to = end(rel.to);
    if (from === undefined || to === undefined) {
      this.waiting.push({ rel, position });
      return null;
    }
    return from === null || to === null ? null : { ...rel, from, to };
  }

  learn(ref: string, ciId: string | null): void {
    if (this.remember) this.loaded.set(ref, ciId);
  }

  /** Waiting relationships whose ends are all loaded now, as CI ids. */
  ready(): { rel: ReconcileRelationship; position: RecordPosition }[] {
    const out: { rel: ReconcileRelationship; position: RecordPosition }[] = [];
    this.waiting = this.waiting.filter((w) => {
      const from = this.loaded.get(w.rel.from);
      const to = this.loaded.get(w.rel.to);
      if (from === undefined || to === undefined) return true;
      if (from !== null && to !== null) out.push({ rel: { ...w.rel, from, to }, position: w.position });
      return false;
    });
    return out;
  }

  /** Relationships still waiting at the end, with the refs no loaded record had. */
  unresolved(): { rel: ReconcileRelationship; position: RecordPosition; missing: string[] }[] {
    return this.waiting.map((w) => ({ ...w, missing: [w.rel.from, w.rel.to].filter((r) => !this.loaded.has(r)) }));
  }
}

export async function runImport(connector: Pick<Connector, 'name'>, hub: HubClient, records: AsyncIterable<RecordGroup>, opts: ImportOptions): Promise<ImportReport> {
  const started = Date.now();
  const batchSize = opts.batchSize ?? 500;
  const report: ImportReport = {
    connector: connector.name, source: opts.source, scope: opts.scope, mode: opts.mode, dryRun: opts.dryRun, runId: null, status: 'FAILED', failure: null,
    records: 0, items: 0, batches: 0,
    totals: { created: 0, updated: 0, noChange: 0, skipped: 0, errors: 0, relationshipsCreated: 0, relationshipErrors: 0 },
    cleanup: null, problems: [], ms: 0,
  };
  const problem = (position: RecordPosition, field: string, reason: string) => {
    if (report.problems.length < MAX_PROBLEMS) report.problems.push({ file: position.file, at: position.at, key: position.key, field, reason });
  };
  const cross = new CrossBatchRefs(opts.refersAcrossRecords ?? true);
  let pending: RecordGroup[] = [];
  // Refs are local to one reconcile call: a record repeating a pending ref (the same host in two files) starts a new batch.
  let pendingRefs = new Set<string>();
  let carried: { rel: ReconcileRelationship; position: RecordPosition }[] = [];
  /** The next batch as it will be sent, built from what is pending now. */
  const build = () => {
    const groups = pending;
    const local = pendingRefs;
    pending = [];
    pendingRefs = new Set();
    const byRef = new Map(groups.flatMap((g) => g.items.map((i) => [i.ref, g.position] as const)));
    const rels = [...carried];
    carried = [];
    for (const g of groups) {
      for (const rel of g.relationships) {
        const sendable = cross.resolve(rel, g.position, local);
        if (sendable) rels.push({ rel: sendable, position: g.position });
      }
    }
    const input = { source: opts.source, runId: report.runId, dryRun: opts.dryRun, items: groups.flatMap((g) => g.items), relationships: rels.map((r) => r.rel) };
    return { input, byRef, rels };
  };
  const send = async ({ input, byRef, rels }: ReturnType<typeof build>) => {
    const { reconcile } = await hub.request<ReconcileAnswer>(RECONCILE, { input });
    report.batches++;
    for (const [k, v] of Object.entries(reconcile.totals) as [keyof Totals, number][]) report.totals[k] += v;
    for (const item of reconcile.items) {
      for (const e of item.errors) problem(byRef.get(item.ref)!, e.field, e.reason);
      if (item.operation !== 'ERROR' && item.operation !== 'SKIPPED') cross.learn(item.ref, item.ciId);
    }
    reconcile.relationships.forEach((rel, i) => {
      for (const e of rel.errors) problem(rels[i].position, e.field, e.reason);
    });
    carried.push(...cross.ready());
    opts.onProgress?.({ records: report.records, batches: report.batches, items: report.items });
  };
  // One batch in flight while the next is parsed: the hub's work and the parsing overlap. Requests stay in order.
  let inFlight: Promise<void> = Promise.resolve();
  const flush = async (): Promise<void> => {
    if (!pending.length && !carried.length) return;
    const batch = build();
    const previous = inFlight;
    inFlight = previous.then(() => send(batch));
    inFlight.catch(() => undefined); // awaited at the next flush or at the end; not an unhandled rejection meanwhile
    await previous;
  };
  /** Sends everything still pending, including what waited for a record of the last batches. */
  const drain = async (): Promise<void> => {
    await flush();
    await inFlight;
    while (carried.length) {
      await flush();
      await inFlight;
    }
  };

  try {
    await ensureSource(hub, opts.source, opts.sourceKind ?? 'DISCOVERY');
    if (!opts.dryRun) {
      const { startSyncRun } = await hub.request<{ startSyncRun: { id: string } }>(
        'mutation ConnectorStart($s: String!, $c: String!, $m: SyncMode!) { startSyncRun(source: $s, scope: $c, mode: $m) { id } }',
        { s: opts.source, c: opts.scope, m: opts.mode });
      report.runId = startSyncRun.id;
    }
    for await (const group of records) {
      if (opts.signal?.aborted) throw new Interrupted();
      report.records++;
      for (const p of group.problems) problem(group.position, p.field, p.reason);
      if (!group.items.length && !group.relationships.length) continue;
      report.items += group.items.length;
      if (group.items.some((i) => pendingRefs.has(i.ref))) await flush();
      pending.push(group);
      for (const i of group.items) pendingRefs.add(i.ref);
      if (pendingRefs.size >= batchSize) await flush();
    }
    await drain();
    if (opts.signal?.aborted) throw new Interrupted();
    for (const { rel, position, missing } of cross.unresolved()) {
      problem(position, 'relationships', `${rel.type} from '${rel.from}' to '${rel.to}': no record of the input is '${missing.join("', '")}' (or it was not loaded); the relationship was not created`);
    }
    if (report.runId) {
      const { finishSyncRun } = await hub.request<{ finishSyncRun: { cleanup: Record<string, number> | null } }>(
        'mutation ConnectorFinish($id: ID!) { finishSyncRun(runId: $id, status: SUCCEEDED) { cleanup { missingRecords markedStale retired deleted relationshipsUnasserted relationshipsRemoved } } }',
        { id: report.runId });
      report.cleanup = finishSyncRun.cleanup;
    }
    report.status = 'SUCCEEDED';
  } catch (e) {
    // Whatever stopped the run (a malformed file, the API, an unreadable input, a bug), it ends FAILED rather than
    // staying RUNNING, and nothing is cleaned up.
    report.failure = e instanceof ParseError || e instanceof ApiError || e instanceof Interrupted ? e.message
      : (e as NodeJS.ErrnoException)?.code ? `cannot read the input: ${(e as Error).message}`
        : `${e instanceof Error ? e.message : String(e)} (unexpected: please report it with the input that caused it)`;
    await inFlight.catch(() => undefined); // the batch being sent lands (or fails) before the run ends
    if (report.runId) {
      // Never cleanup after a partial load: the run ends FAILED and stale handling does not run.
      await hub.request('mutation ConnectorFail($id: ID!) { finishSyncRun(runId: $id, status: FAILED) { id } }', { id: report.runId }).catch(() => undefined);
    }
  }
  report.ms = Date.now() - started;
  return report;
}

/** The user stopped the run (Ctrl-C, a CronJob's deadline): what was loaded stays, cleanup does not run. */
export class Interrupted extends Error {
  constructor() {
    super('interrupted before the input was fully loaded');
    this.name = 'Interrupted';
  }
}

/** 0: everything loaded; 3: loaded, with per-record problems; 1: the run failed. */
export function exitCodeOf(report: ImportReport): number {
  if (report.status === 'FAILED') return 1;
  return report.problems.length || report.totals.errors || report.totals.relationshipErrors ? 3 : 0;
}
