import { Catalog } from '../model/catalog';
import { Neo4jClient } from './client';
import { attributeKey } from './cypher-names';

/**
 * Creates the constraints and indexes the API relies on. Every statement is IF NOT EXISTS,
 * so running it at each start-up is safe; the unique id constraint exists before any MERGE.
 */
export async function ensureSchema(client: Neo4jClient, catalog: Catalog): Promise<string[]> {
  const statements = [
    'CREATE CONSTRAINT ci_id_unique IF NOT EXISTS FOR (c:CI) REQUIRE c.id IS UNIQUE',
    'CREATE INDEX ci_name IF NOT EXISTS FOR (c:CI) ON (c.name)',
    'CREATE INDEX ci_lifecycle IF NOT EXISTS FOR (c:CI) ON (c.lifecycleStatus)',
    'CREATE INDEX ci_environment IF NOT EXISTS FOR (c:CI) ON (c.environment)',
    'CREATE CONSTRAINT source_name_unique IF NOT EXISTS FOR (s:DataSource) REQUIRE s.name IS UNIQUE',
    'CREATE CONSTRAINT sync_run_id_unique IF NOT EXISTS FOR (r:SyncRun) REQUIRE r.id IS UNIQUE',
    'CREATE CONSTRAINT source_record_key_unique IF NOT EXISTS FOR (s:SourceRecord) REQUIRE s.key IS UNIQUE',
    'CREATE CONSTRAINT reconcile_lock_unique IF NOT EXISTS FOR (l:ReconcileLock) REQUIRE l.bucket IS UNIQUE',
    'CREATE CONSTRAINT run_lock_unique IF NOT EXISTS FOR (l:RunLock) REQUIRE l.key IS UNIQUE',
    'CREATE CONSTRAINT ticket_key_unique IF NOT EXISTS FOR (t:Ticket) REQUIRE t.key IS UNIQUE',
    'CREATE CONSTRAINT alert_key_unique IF NOT EXISTS FOR (a:Alert) REQUIRE a.key IS UNIQUE',
    'CREATE CONSTRAINT precedence_rule_unique IF NOT EXISTS FOR (p:PrecedenceRule) REQUIRE p.key IS UNIQUE',
    'CREATE CONSTRAINT api_token_id_unique IF NOT EXISTS FOR (t:ApiToken) REQUIRE t.id IS UNIQUE',
    'CREATE CONSTRAINT api_token_hash_unique IF NOT EXISTS FOR (t:ApiToken) REQUIRE t.hash IS UNIQUE',
    'CREATE INDEX source_record_nkey IF NOT EXISTS FOR (s:SourceRecord) ON (s.nkey)',
    'CREATE INDEX source_record_ci IF NOT EXISTS FOR (s:SourceRecord) ON (s.ciId)',
    'CREATE INDEX source_record_scope IF NOT EXISTS FOR (s:SourceRecord) ON (s.source, s.scope)',
    'CREATE INDEX change_ci IF NOT EXISTS FOR (h:ChangeRecord) ON (h.ciId)',
    'CREATE INDEX change_other IF NOT EXISTS FOR (h:ChangeRecord) ON (h.otherId)',
    'CREATE INDEX change_at IF NOT EXISTS FOR (h:ChangeRecord) ON (h.at)',
    'CREATE INDEX sync_run_source IF NOT EXISTS FOR (r:SyncRun) ON (r.source)',
    'CREATE INDEX duplicate_status IF NOT EXISTS FOR (d:DuplicateRecord) ON (d.status)',
    ...catalog.identifierAttributes().map(
      (attr) => `CREATE INDEX ci_attr_${attr} IF NOT EXISTS FOR (c:CI) ON (c.${attributeKey(catalog, attr)})`,
    ),
  ];
  // Schema commands cannot share a transaction with each other's data, so each runs alone.
  for (const statement of statements) await client.write(statement);
  await client.write('CALL db.awaitIndexes(300)');
  // Manual edits are a source like any other; it must exist before the first createCi.
  await client.write(
    `MERGE (s:DataSource {name: 'manual'})
     ON CREATE SET s.kind = 'MANUAL', s.priority = 1, s.stalenessHours = 8760, s.deletionPolicy = 'IGNORE',
       s.retentionDays = 0, s.relationshipPolicy = 'IGNORE', s.createdAt = $now, s.updatedAt = $now`,
    { now: new Date().toISOString() });
  return statements;
}
