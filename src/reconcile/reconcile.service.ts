import { ManagedTransaction } from 'neo4j-driver';
import { randomUUID } from 'crypto';
import { Catalog } from '../model/catalog';
import { InputError } from '../model/field-error';
import { didYouMean } from '../model/suggest';
import { Neo4jClient } from '../graph/client';
import { readBatchContext, runProgressStep } from '../graph/source.queries';
import {
  assertEdges, createCisStep, findEdges, duplicateRecordsStep, loadCiProperties, lockIdentityBucketsStep,
  reclassifyCisStep, updateCisStep, upsertSourceRecordsStep, insertSourceRecordsStep, createEdgesStep, SourceRecordRow,
} from '../graph/reconcile.queries';
import { changesStep } from '../graph/history.queries';
import { WriteBatch } from '../graph/write-steps';
import { SourceRanking } from './precedence';
import { identifyItems, identityBuckets, identityKeys, nativeKey, relatedEnd } from './identify';
import { planItems } from './plan-items';
import { planRelationships, relationshipAdded } from './plan-relationships';
import { prepareItems } from './prepare-items';
import {
  MAX_BATCH_ITEMS, MAX_BATCH_RELATIONSHIPS, NO_RECONCILE_OBSERVER, PreparedItem, ReconcileInput, ReconcileObserver, ReconcileResult, ReconcileTotals,
} from './reconcile.types';

/**
 * The identification and reconciliation engine. One call is one batch: validated item by item,
 * identified and written in a single managed transaction with a bounded number of UNWIND queries.
 */
export class ReconcileService {
  constructor(
    private readonly client: Neo4jClient,
    private readonly catalog: Catalog,
    private readonly observer: ReconcileObserver = NO_RECONCILE_OBSERVER,
    /** The caller history names beside the source; null for in-process work. */
    private readonly principal: string | null = null,
  ) {}

  async reconcile(input: ReconcileInput): Promise<ReconcileResult> {
    const items = input.items ?? [];
    const relationships = input.relationships ?? [];
    const errors = [];
    if (items.length > MAX_BATCH_ITEMS) errors.push({ field: 'items', reason: `at most ${MAX_BATCH_ITEMS} items per batch, got ${items.length}; split the payload` });
    if (relationships.length > MAX_BATCH_RELATIONSHIPS) errors.push({ field: 'relationships', reason: `at most ${MAX_BATCH_RELATIONSHIPS} relationships per batch, got ${relationships.length}` });
    if (errors.length) throw new InputError(errors);
    const dryRun = input.dryRun === true;
    const work = (tx: ManagedTransaction) => this.reconcileInTx(tx, input, dryRun);
    const result = await (dryRun ? this.client.readTx(work) : this.client.writeTx(work));
    this.observer.batchReconciled(result.source, dryRun, result.totals);
    return result;
  }

  private async reconcileInTx(tx: ManagedTransaction, input: ReconcileInput, dryRun: boolean): Promise<ReconcileResult> {
    const { client, catalog } = this;
    const now = new Date().toISOString();
    const source = input.source;
    const relationships = input.relationships ?? [];
    const items = prepareItems(catalog, input.items ?? []);
    const valid = items.filter((i) => !i.result.errors.length);
    const relatedKey = (item: PreparedItem) => (rule: Parameters<typeof relatedEnd>[1]) => relatedEnd(item, rule, relationships);
    const keysOf = (item: PreparedItem) => identityKeys(catalog, source, item, relatedKey(item));

    // Lock keys leave out related CIs (unknown before identification): coarser, never finer.
    const lock = dryRun ? null : lockIdentityBucketsStep(identityBuckets(valid.flatMap((i) => identityKeys(catalog, source, i, () => ''))), now);
    const { sources, rules, run } = await readBatchContext(client, tx, lock, input.runId ?? null);
    if (!sources.some((s) => s.name === source)) {
      throw new InputError([{ field: 'source', reason: `source '${source}' is not registered${didYouMean(String(source), sources.map((s) => s.name))}; call registerSource first` }]);
    }
    let scope = '';
    if (input.runId) {
      if (!run) throw new InputError([{ field: 'runId', reason: `no sync run '${input.runId}'` }]);
      if (run.source !== source) throw new InputError([{ field: 'runId', reason: `run '${input.runId}' belongs to source '${run.source}', not '${source}'` }]);
      if (run.status !== 'RUNNING') throw new InputError([{ field: 'runId', reason: `run '${input.runId}' is ${run.status}; start a new run` }]);
      scope = run.scope;
    }
    const ranking = new SourceRanking(catalog, sources, rules);

    const identities = await identifyItems(client, tx, catalog, source, valid, relationships);
    const matchedIds = [...identities.values()].flatMap((i) => (i.kind === 'matched' ? [i.ciId] : []));
    const refs = new Set(items.map((i) => i.input.ref));
    const rawEndpoints = relationships.flatMap((r) => [r?.from, r?.to]).filter((k) => typeof k === 'string' && !refs.has(k));
    const state = await loadCiProperties(client, tx, [...new Set([...matchedIds, ...rawEndpoints])]);

    const ctx = { catalog, ranking, source, runId: input.runId ?? null, now, dryRun, principal: this.principal };
    const plan = planItems(ctx, valid, identities, state, keysOf);
    for (const item of items) if (item.result.errors.length) item.result.operation = 'ERROR';
    const rels = planRelationships(catalog, relationships, items, plan.classOf, state);

    if (dryRun) {
      for (const group of rels.groups) {
        const existing = await findEdges(client, tx, catalog, group.type, group.rows);
        for (const row of group.rows) {
          const sources = existing.get(row.i);
          if (sources) rels.results[row.i].operation = sources.includes(source) ? 'NO_CHANGE' : 'UPDATED';
        }
      }
    } else {
      // Writes whose outcome is known beforehand go out together; only edges onto existing CIs need an answer.
      const writes = new WriteBatch(client, tx);
      for (const [className, rows] of plan.creates) writes.add(createCisStep(catalog, className, rows));
      for (const [className, ids] of plan.reclassify) writes.add(reclassifyCisStep(catalog, className, ids));
      writes.add(updateCisStep([...plan.updates].map(([id, set]) => ({ id, set }))));
      const records = new Map<string, SourceRecordRow>();
      for (const i of valid) {
        if (!i.result.ciId || i.result.errors.length) continue;
        const key = `${source}|${i.result.ciId}`;
        const nkey = i.input.sourceNativeKey ? nativeKey(source, i.input.sourceNativeKey) : records.get(key)?.nkey ?? null;
        records.set(key, { key, source, ciId: i.result.ciId, nkey, scope, runId: input.runId ?? null });
      }
      const isNew = (r: SourceRecordRow) => plan.createdIds.has(r.ciId);
      writes.add(insertSourceRecordsStep([...records.values()].filter(isNew), now), upsertSourceRecordsStep([...records.values()].filter((r) => !isNew(r)), now));
      const assertion = { source, scope, runId: input.runId ?? null, now };
      for (const group of rels.groups) {
        // Between two CIs born in this batch an edge is new and needs no history of its own (asOf
        // before the batch finds neither CI); each distinct edge is created once.
        const seen = new Set<string>();
        const fresh = group.rows.filter((row) => plan.createdIds.has(row.from) && plan.createdIds.has(row.to));
        const freshUnique = fresh.filter((row) => {
          const key = `${row.from}|${row.to}`;
          rels.results[row.i].operation = seen.has(key) ? 'NO_CHANGE' : 'CREATED';
          return !seen.has(key) && seen.add(key);
        });
        writes.add(createEdgesStep(catalog, group.type, freshUnique, assertion));
        const others = group.rows.filter((row) => !(plan.createdIds.has(row.from) && plan.createdIds.has(row.to)));
        if (!others.length) continue;
        await writes.flush();
        const outcome = await assertEdges(client, tx, catalog, group.type, others, assertion);
        for (const row of others) {
          const o = outcome.get(row.i);
          const result = rels.results[row.i];
          if (!o) {
            result.operation = 'ERROR';
            result.errors.push({ field: `relationships[${row.i}]`, reason: 'an endpoint disappeared while reconciling' });
          } else {
            result.operation = o.created ? 'CREATED' : o.alreadyAsserted ? 'NO_CHANGE' : 'UPDATED';
            if (o.created) plan.changes.push(relationshipAdded(group.type, row.from, row.to, { actor: source, principal: this.principal }, input.runId ?? null, now));
          }
        }
      }
      writes.add(changesStep(client, tx, plan.changes));
      writes.add(duplicateRecordsStep(valid.flatMap((i) => {
        const identity = identities.get(i.input.ref);
        if (identity?.kind !== 'multi') return [];
        return [{ id: randomUUID(), source, runId: input.runId ?? null, ref: i.input.ref, class: i.className, candidates: identity.candidates, values: JSON.stringify(i.values), at: now }];
      })));
      if (input.runId) writes.add(runProgressStep(input.runId, items.length));
      await writes.flush();
    }
    return { source, runId: input.runId ?? null, dryRun, items: items.map((i) => i.result), relationships: rels.results, totals: totals(items, rels.results) };
  }
}

function totals(items: PreparedItem[], rels: ReconcileResult['relationships']): ReconcileTotals {
  const count = <T extends { operation: string }>(list: T[], op: string) => list.filter((x) => x.operation === op).length;
  const results = items.map((i) => i.result);
  return {
    items: items.length,
    created: count(results, 'CREATED'),
    updated: count(results, 'UPDATED'),
    noChange: count(results, 'NO_CHANGE'),
    skipped: count(results, 'SKIPPED'),
    errors: count(results, 'ERROR'),
    relationshipsCreated: count(rels, 'CREATED'),
    relationshipsUpdated: count(rels, 'UPDATED'),
    relationshipsUnchanged: count(rels, 'NO_CHANGE'),
    relationshipErrors: count(rels, 'ERROR') + count(rels, 'SKIPPED'),
  };
}
