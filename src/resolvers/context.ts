import { randomUUID } from 'crypto';
import { Catalog } from '../model/catalog';
import { Neo4jClient } from '../graph/client';
import { CiService } from '../services/ci.service';
import { createLoaders, Loaders } from '../services/loaders';
import { ReconcileService } from '../reconcile/reconcile.service';
import { SyncRunService } from '../reconcile/sync-runs.service';
import { HistoryService } from '../services/history.service';
import { ImpactService } from '../impact/impact.service';
import { ExploreService } from '../services/explore.service';
import { CiRefService } from '../services/ci-ref.service';
import { ChangeFeedService } from '../services/change-feed.service';
import { MergeService } from '../services/merge.service';
import { SourceDeletionService } from '../reconcile/source-deletion.service';
import { HealthService } from '../services/health.service';
import { HealthSnapshots } from '../services/health-snapshots';
import { TicketService } from '../services/ticket.service';
import { EventService } from '../events/event.service';
import { eventBindingFor } from '../events/binding-cache';
import { EventBus } from '../events/event-bus';
import { NO_RECONCILE_OBSERVER, ReconcileObserver } from '../reconcile/reconcile.types';
import { ApiTokens } from '../auth/api-tokens';
import { ConcurrencyGate } from '../runtime/concurrency-gate';
import { MANUAL_SOURCE } from '../reconcile/sources.types';
import { Principal, requesterName, SYSTEM_PRINCIPAL } from '../auth/principal';
import { newRequestObservation, RequestObservation } from './request-observation';

/** What every resolver sees; built fresh for each GraphQL request. */
export interface RequestContext {
  /** The id in this request's log line and its x-request-id response header. */
  requestId: string;
  /** Filled in while the request runs (operation, error codes), read by the request log and metrics. */
  observation: RequestObservation;
  /** Who is calling; every root field checks it (src/auth). */
  principal: Principal;
  tokens: ApiTokens;
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
  /** Resolves CI references (by id, name or identifiers) to ids. */
  refs: CiRefService;
  /** Change feeds across CIs. */
  changes: ChangeFeedService;
  merges: MergeService;
  sourceDeletion: SourceDeletionService;
  health: HealthService;
  /** ITSM ticket links. */
  tickets: TicketService;
  /** Alerts in, bound to CIs. */
  events: EventService;
  /** The live feed (null in-process without an app). */
  bus: EventBus | null;
}

export interface RequestContextOptions {
  /** Default: the system principal (in-process callers such as tests); the HTTP app always passes the caller's. */
  principal?: Principal;
  /** Expensive analyses queue here; one per process. Default: unbounded. */
  expensiveGate?: ConcurrencyGate;
  /** The app's token store (one per process, so lastUsedAt writes are throttled across requests). */
  tokens?: ApiTokens;
  requestId?: string;
  observation?: RequestObservation;
  /** Told what reconcile batches and sync runs did (the app's metrics). */
  reconcileObserver?: ReconcileObserver;
  /** The live feed alerts and ticket changes are published on (the app's). */
  bus?: EventBus;
  /** Health reports shared by the process's callers (the app's). Default: each call measures. */
  healthSnapshots?: HealthSnapshots;
}

export function createRequestContext(sharedClient: Neo4jClient, catalog: Catalog, opts: RequestContextOptions = {}): RequestContext {
  const client = sharedClient.scoped();
  const observer = opts.reconcileObserver ?? NO_RECONCILE_OBSERVER;
  const principal = opts.principal ?? SYSTEM_PRINCIPAL;
  // In-process system work keeps the generic actor; every caller over HTTP is named.
  const requester = requesterName(principal);
  const manual = { actor: requester ?? MANUAL_SOURCE, principal: requester };
  return {
    requestId: opts.requestId ?? randomUUID(),
    observation: opts.observation ?? newRequestObservation(),
    principal,
    tokens: opts.tokens ?? new ApiTokens(client),
    catalog,
    client,
    loaders: createLoaders(client, catalog),
    cis: new CiService(client, catalog, manual),
    reconcile: new ReconcileService(client, catalog, observer, requester),
    syncRuns: new SyncRunService(client, catalog, observer, requester),
    history: new HistoryService(client, catalog),
    impact: new ImpactService(client, catalog, opts.expensiveGate, manual),
    explore: new ExploreService(client, catalog),
    refs: new CiRefService(client, catalog),
    changes: new ChangeFeedService(client, catalog),
    merges: new MergeService(client, catalog, manual),
    sourceDeletion: new SourceDeletionService(client, requester),
    health: new HealthService(client, catalog, opts.healthSnapshots ?? null),
    tickets: new TicketService(client, requester, opts.bus ?? null),
    events: new EventService(client, catalog, eventBindingFor(catalog), opts.bus ?? null),
    bus: opts.bus ?? null,
  };
}
