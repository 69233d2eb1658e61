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
    ...catalog.identifierAttributes().map(
      (attr) => `CREATE INDEX ci_attr_${attr} IF NOT EXISTS FOR (c:CI) ON (c.${attributeKey(catalog, attr)})`,
    ),
  ];
  // Schema commands cannot share a transaction with each other's data, so each runs alone.
  for (const statement of statements) await client.write(statement);
  await client.write('CALL db.awaitIndexes(300)');
  return statements;
}
