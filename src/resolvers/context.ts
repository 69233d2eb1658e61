import { Catalog } from '../model/catalog';
import { Neo4jClient } from '../graph/client';
import { CiService } from '../services/ci.service';
import { createLoaders, Loaders } from '../services/loaders';

/** What every resolver sees; built fresh for each GraphQL request. */
export interface RequestContext {
  catalog: Catalog;
  /** Scoped to this request: its stats count this request's Cypher round trips. */
  client: Neo4jClient;
  loaders: Loaders;
  cis: CiService;
}

export function createRequestContext(sharedClient: Neo4jClient, catalog: Catalog): RequestContext {
  const client = sharedClient.scoped();
  return { catalog, client, loaders: createLoaders(client, catalog), cis: new CiService(client, catalog) };
}
