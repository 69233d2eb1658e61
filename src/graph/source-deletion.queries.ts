import { Neo4jClient } from './client';
import { CLEANUP_BATCH, deleteCisOfRecords, recordKeyRange, SOURCE_RECORDS } from './cleanup.queries';

/*
 * Removing a data source and what it asserted. Each step works in batches (one write transaction each), like the
 * stale handling after a FULL run, so a source with a hundred thousand records never needs one huge transaction.
 */

/** Of a CI (`c`) found from this source's records: no other source reports it, so it exists because of this one alone. */
const SOLE = 'NOT EXISTS { MATCH (o:SourceRecord {ciId: c.id}) WHERE o.source <> $source }';

export async function countSoleSourceCis(client: Neo4jClient, source: string): Promise<number> {
  const result = await client.read(`${SOURCE_RECORDS} MATCH (c:CI {id: s.ciId}) WHERE ${SOLE} RETURN count(DISTINCT c) AS n`, { source, ...recordKeyRange(source) });
  return result.records[0].get('n') as number;
}

export async function runningRunsOf(client: Neo4jClient, source: string): Promise<string[]> {
  const result = await client.read("MATCH (r:SyncRun {source: $source, status: 'RUNNING'}) RETURN r.id AS id ORDER BY r.startedAt", { source });
  return result.records.map((r) => r.get('id') as string);
}

/** Deletes the CIs only this source reports, each with a snapshot in history. */
export function deleteSoleSourceCis(client: Neo4jClient, p: { source: string; now: string; principal: string | null }, batchSize = CLEANUP_BATCH): Promise<number> {
  return deleteCisOfRecords(client, { ...p, runId: null }, { record: 'true', ci: SOLE }, batchSize);
}

/** Each batch seeks the first of the source's keys that are left, so nothing deleted or foreign is read again. */
export async function deleteSourceRecords(client: Neo4jClient, source: string, batchSize = CLEANUP_BATCH): Promise<number> {
  let total = 0;
  for (;;) {
    const result = await client.write(
      `${SOURCE_RECORDS} WITH s LIMIT toInteger($batchSize) DELETE s RETURN count(*) AS n`, { ...recordKeyRange(source), batchSize });
    const n = result.records[0].get('n') as number;
    total += n;
    if (n < batchSize) return total;
  }
}

/** Takes the source out of every precedence rule (a rule left empty goes); returns how many rules changed. */
export async function dropFromPrecedenceRules(client: Neo4jClient, source: string): Promise<number> {
  const result = await client.write(
    `MATCH (p:PrecedenceRule) WHERE $source IN p.sources
     SET p.sources = [s IN p.sources WHERE s <> $source]
     WITH p, size(p.sources) = 0 AS empty
     FOREACH (_ IN CASE WHEN empty THEN [1] ELSE [] END | DELETE p)
     RETURN count(*) AS n`, { source });
  return result.records[0].get('n') as number;
}

export async function deleteDataSourceNode(client: Neo4jClient, source: string): Promise<void> {
  await client.write('MATCH (s:DataSource {name: $source}) DELETE s', { source });
}
