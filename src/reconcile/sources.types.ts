/** Kinds of data source; manual edits through createCi/updateCi are the source `manual`. */
export const SOURCE_KINDS = ['DISCOVERY', 'IMPORT', 'MANUAL', 'ITSM'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** What a successful FULL run does with CIs its source no longer reports. */
export const DELETION_POLICIES = ['IGNORE', 'MARK_STALE', 'RETIRE_THEN_DELETE'] as const;
export type DeletionPolicy = (typeof DELETION_POLICIES)[number];

/** What a successful FULL run does with relationships its source no longer asserts. */
export const RELATIONSHIP_POLICIES = ['IGNORE', 'REMOVE'] as const;
export type RelationshipPolicy = (typeof RELATIONSHIP_POLICIES)[number];

export const SYNC_MODES = ['FULL', 'DELTA'] as const;
export type SyncMode = (typeof SYNC_MODES)[number];

export const RUN_STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'ABORTED'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface DataSource {
  name: string;
  kind: SourceKind;
  /** 1 is the highest rank; precedence rules can override the ranking per class and attribute. */
  priority: number;
  /** A value from this source older than this may be overwritten by lower-ranked sources. */
  stalenessHours: number;
  deletionPolicy: DeletionPolicy;
  /** RETIRE_THEN_DELETE: days a retired CI is kept before it is deleted. */
  retentionDays: number;
  relationshipPolicy: RelationshipPolicy;
  createdAt: string;
  updatedAt: string;
}

export interface SyncRun {
  id: string;
  source: string;
  scope: string;
  mode: SyncMode;
  status: RunStatus;
  startedAt: string;
  finishedAt: string | null;
  itemsReported: number;
  batches: number;
  /** The callers that started and finished it (token or JWT subject); null for in-process work. */
  startedBy: string | null;
  finishedBy: string | null;
  /** Set when a finished FULL run applied stale handling. */
  cleanup: CleanupReport | null;
}

export interface CleanupReport {
  missingRecords: number;
  markedStale: number;
  retired: number;
  deleted: number;
  relationshipsUnasserted: number;
  relationshipsRemoved: number;
}

export const MANUAL_SOURCE = 'manual';
