import { ConflictError, InputError, NotFoundError } from '../model/field-error';
import { didYouMean } from '../model/suggest';
import { Neo4jClient } from '../graph/client';
import { assertionSourcePrefix } from '../graph/assertion-stamp';
import { withdrawAssertions } from '../graph/cleanup.queries';
import { listDataSources } from '../graph/source.queries';
import {
  countSoleSourceCis, deleteDataSourceNode, deleteSoleSourceCis, deleteSourceRecords, dropFromPrecedenceRules, runningRunsOf,
} from '../graph/source-deletion.queries';
import { MANUAL_SOURCE } from './sources.types';

/** What happens to the CIs only the deleted source reports. */
export const SOURCE_DELETION_POLICIES = ['REFUSE', 'KEEP_CIS', 'DELETE_CIS'] as const;
export type SourceDeletionPolicy = (typeof SOURCE_DELETION_POLICIES)[number];

export interface SourceDeletion {
  source: string;
  policy: SourceDeletionPolicy;
  /** CIs only this source reported: deleted (DELETE_CIS) or kept without a source (KEEP_CIS). */
  soleSourceCis: number;
  cisDeleted: number;
  sourceRecordsRemoved: number;
  relationshipsUnasserted: number;
  relationshipsRemoved: number;
  precedenceRulesChanged: number;
}

/**
 * Removes a data source with what it asserted: its source records, its assertions on edges (an edge nobody else
 * asserts goes, with history), its place in precedence rules, and per the policy the CIs it alone reports. Values
 * it set stay on CIs other sources or people also hold, with their provenance. Its sync runs stay as history.
 */
export class SourceDeletionService {
  constructor(private readonly client: Neo4jClient, private readonly principal: string | null) {}

  async deleteSource(name: string, policy: SourceDeletionPolicy = 'REFUSE'): Promise<SourceDeletion> {
    if (name === MANUAL_SOURCE) throw new InputError([{ field: 'name', reason: `the '${MANUAL_SOURCE}' source holds every hand-made edit and cannot be deleted` }]);
    if (!SOURCE_DELETION_POLICIES.includes(policy)) throw new InputError([{ field: 'policy', reason: `must be one of ${SOURCE_DELETION_POLICIES.join(', ')}` }]);
    const sources = await listDataSources(this.client);
    if (!sources.some((s) => s.name === name)) {
      throw new NotFoundError('name', `no data source '${name}'${didYouMean(name, sources.map((s) => s.name))}`);
    }
    const running = await runningRunsOf(this.client, name);
    if (running.length) throw new ConflictError('name', `source '${name}' has ${running.length} sync run(s) RUNNING (${running.slice(0, 3).join(', ')}); finish or abort them first`, []);
    const sole = await countSoleSourceCis(this.client, name);
    if (sole > 0 && policy === 'REFUSE') {
      throw new ConflictError('policy',
        `${sole} CI(s) are reported by '${name}' alone; delete with policy KEEP_CIS (they stay, without a source) or DELETE_CIS (they go, with a snapshot in history)`, []);
    }
    const now = new Date().toISOString();
    const by = { source: name, now, principal: this.principal };
    // Edges first: deleting a CI removes its edges without withdrawing anything.
    const edges = await withdrawAssertions(this.client, { ...by, prefix: assertionSourcePrefix(name), keepPrefix: null, runId: null });
    const cisDeleted = policy === 'DELETE_CIS' ? await deleteSoleSourceCis(this.client, by) : 0;
    const sourceRecordsRemoved = await deleteSourceRecords(this.client, name);
    const precedenceRulesChanged = await dropFromPrecedenceRules(this.client, name);
    await deleteDataSourceNode(this.client, name);
    return {
      source: name, policy, soleSourceCis: sole, cisDeleted, sourceRecordsRemoved,
      relationshipsUnasserted: edges.unasserted, relationshipsRemoved: edges.removed, precedenceRulesChanged,
    };
  }
}
