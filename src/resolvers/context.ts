import { Catalog } from '../model/catalog';
import { Neo4jClient } from '../graph/client';
import { CiService } from '../services/ci.service';
import { createLoaders, Loaders } from '../services/loaders';
import { ReconcileService } from '../reconcile/reconcile.service';
import { SyncRunService } from '../reconcile/sync-runs.service';
import { HistoryService } from '../services/history.service';
import { ImpactService } from '../impact/impact.service';
import { ExploreService } from '../services/explore.service';
import { HealthService } from '../services/health.service';

/** What every resolver sees; built fresh for each GraphQL request. */
export interface RequestContext {
  catalog: Catalog;
  /** Scoped to this request: its stats count this request's Cypher round trips. */
  client: Neo4jClient;
  loaders: Loaders;
  cis: CiService;
  reconcile: ReconcileService;
  syncRuns: SyncRunService;
  history: HistoryService;
  impact: ImpactService;
  explore: ExploreService;
  health: HealthService;
}

export function createRequestContext(sharedClient: Neo4jClient, catalog: Catalog): RequestContext {
  const client = sharedClient.scoped();
  return {
    catalog,
    client,
    loaders: createLoaders(client, catalog),
    cis: new CiService(client, catalog),
    reconcile: new ReconcileService(client, catalog),
    syncRuns: new SyncRunService(client, catalog),
    history: new HistoryService(client, catalog),
    impact: new ImpactService(client, catalog),
    explore: new ExploreService(client, catalog),
    health: new HealthService(client, catalog),
  };
}
