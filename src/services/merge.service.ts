import { randomUUID } from 'crypto';
import { Catalog } from '../model/catalog';
import { InputError, NotFoundError } from '../model/field-error';
import { decodeProvenance, encodeProvenance } from '../model/provenance-codec';
import { Neo4jClient } from '../graph/client';
import { CiRecord, toCiRecord } from '../graph/ci.record';
import { ChangeAuthor, ChangeRow } from '../graph/history.queries';
import { dismissDuplicateRecord, mergeCiInto, MergeOutcome } from '../graph/merge.queries';
import { loadCiProperties, lockIdentityBuckets } from '../graph/reconcile.queries';
import { identityBuckets, ruleKeys } from '../reconcile/identify';

/** Common fields a survivor takes from its duplicate when it has none of its own. */
const TAKEN_COMMON = ['environment', 'owner', 'supportGroup', 'criticality'] as const;

export interface MergeResult extends MergeOutcome {
  survivor: CiRecord;
  /** Fields the survivor lacked and took from the duplicate. */
  fieldsTaken: string[];
}

export interface DismissedDuplicate {
  id: string;
  ref: string;
  class: string;
  source: string;
  candidates: string[];
  status: string;
  resolvedAt: string;
  resolvedBy: string;
  reason: string | null;
}

/** Resolving duplicates: merging two CIs that are one asset, or dismissing a duplicate record that is not one. */
export class MergeService {
  constructor(private readonly client: Neo4jClient, private readonly catalog: Catalog, private readonly by: ChangeAuthor) {}

  /**
   * Makes `duplicateId` part of `survivorId`: the survivor keeps its values and takes the ones it lacks (with their
   * provenance), every relationship, source record and the history of the duplicate; the duplicate is deleted. Both
   * must be of one class line (one a subclass of the other, or the same); the survivor keeps its class.
   */
  async merge(survivorId: string, duplicateId: string): Promise<MergeResult> {
    if (survivorId === duplicateId) throw new InputError([{ field: 'duplicate', reason: 'must be another CI than the survivor' }]);
    const now = new Date().toISOString();
    return this.client.writeTx(async (tx) => {
      const found = await loadCiProperties(this.client, tx, [survivorId, duplicateId]);
      const survivor = found.get(survivorId);
      const duplicate = found.get(duplicateId);
      if (!survivor) throw new NotFoundError('survivor', `no CI with id '${survivorId}'`);
      if (!duplicate) throw new NotFoundError('duplicate', `no CI with id '${duplicateId}'`);
      const [sClass, dClass] = [String(survivor.class), String(duplicate.class)];
      if (!this.catalog.isA(sClass, dClass) && !this.catalog.isA(dClass, sClass)) {
        throw new InputError([{ field: 'duplicate', reason: `is a ${dClass}, the survivor a ${sClass}: only CIs of one class line can be one asset` }]);
      }
      // The identity locks reconcile takes, for both: no batch may match either while they become one.
      const keys = [...ruleKeys(this.catalog, sClass, survivor, () => undefined), ...ruleKeys(this.catalog, dClass, duplicate, () => undefined)];
      await lockIdentityBuckets(this.client, tx, identityBuckets(keys), now);

      const attributes = [...this.catalog.getClass(sClass)!.attributes.keys()];
      const taken = [...TAKEN_COMMON, ...attributes].filter((k) => (survivor[k] === undefined || survivor[k] === null) && duplicate[k] !== undefined && duplicate[k] !== null);
      const survivorProv = decodeProvenance(survivor._prov);
      const duplicateProv = decodeProvenance(duplicate._prov);
      for (const k of taken) if (duplicateProv[k]) survivorProv[k] = duplicateProv[k];
      const mergedFrom = [...new Set([...((survivor._mergedFrom as string[]) ?? []), duplicateId, ...((duplicate._mergedFrom as string[]) ?? [])])];
      const set: Record<string, unknown> = { ...Object.fromEntries(taken.map((k) => [k, duplicate[k]])), _prov: encodeProvenance(survivorProv), _mergedFrom: mergedFrom };
      const changes: ChangeRow[] = taken.map((k) => ({
        id: randomUUID(), ciId: survivorId, at: now, kind: 'UPDATED', ...this.by, runId: null, field: k,
        oldValue: null, newValue: JSON.stringify(duplicate[k]), relType: null, otherId: duplicateId,
      }));
      const outcome = await mergeCiInto(this.client, tx, this.catalog, { survivorId, duplicateId, duplicate, set, changes, now, by: this.by });
      return { ...outcome, survivor: toCiRecord(this.catalog, { ...survivor, ...set, updatedAt: now }), fieldsTaken: taken };
    });
  }

  /** Closes an open duplicate record (from a MULTI_MATCH) whose candidates are distinct assets. */
  async dismiss(recordId: string, reason: string | null): Promise<DismissedDuplicate> {
    if (reason !== null && reason.length > 1000) throw new InputError([{ field: 'reason', reason: `at most 1000 characters, got ${reason.length}` }]);
    const record = await dismissDuplicateRecord(this.client, recordId, reason, this.by.principal ?? this.by.actor, new Date().toISOString());
    if (!record) throw new NotFoundError('id', `no open duplicate record '${recordId}'`);
    return { ...(record as unknown as DismissedDuplicate), reason: (record.reason as string) ?? null };
  }
}
