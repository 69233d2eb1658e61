import { registerEnumType } from 'type-graphql';

export enum LifecycleStatus { PLANNED = 'PLANNED', INSTALLED = 'INSTALLED', IN_USE = 'IN_USE', IN_MAINTENANCE = 'IN_MAINTENANCE', STALE = 'STALE', RETIRED = 'RETIRED' }
export enum Criticality { CRITICAL = 'CRITICAL', HIGH = 'HIGH', MEDIUM = 'MEDIUM', LOW = 'LOW' }
export enum RelationshipDirection { OUTGOING = 'OUTGOING', INCOMING = 'INCOMING', BOTH = 'BOTH' }
export enum EdgeDirection { OUTGOING = 'OUTGOING', INCOMING = 'INCOMING' }
export enum Propagation { TARGET_TO_SOURCE = 'TARGET_TO_SOURCE', SOURCE_TO_TARGET = 'SOURCE_TO_TARGET', BOTH = 'BOTH', NONE = 'NONE' }
export enum AttributeType { string = 'string', int = 'int', float = 'float', boolean = 'boolean', datetime = 'datetime', stringList = 'stringList', json = 'json' }

registerEnumType(LifecycleStatus, { name: 'LifecycleStatus', description: 'Where a CI is in its life.' });
registerEnumType(Criticality, { name: 'Criticality', description: 'Business criticality, highest first.' });
registerEnumType(RelationshipDirection, { name: 'RelationshipDirection', description: 'Which edges of a CI to follow.' });
registerEnumType(EdgeDirection, { name: 'EdgeDirection', description: 'Direction of one edge as seen from a CI.' });
registerEnumType(Propagation, {
  name: 'Propagation',
  description: 'Which way a failure travels along A -[:T]-> B: TARGET_TO_SOURCE means B failing affects A.',
});
registerEnumType(AttributeType, { name: 'AttributeType', description: 'Value type of a class attribute.' });

export enum SourceKind { DISCOVERY = 'DISCOVERY', IMPORT = 'IMPORT', MANUAL = 'MANUAL', ITSM = 'ITSM' }
export enum DeletionPolicy { IGNORE = 'IGNORE', MARK_STALE = 'MARK_STALE', RETIRE_THEN_DELETE = 'RETIRE_THEN_DELETE' }
export enum RelationshipPolicy { IGNORE = 'IGNORE', REMOVE = 'REMOVE' }
export enum SyncMode { FULL = 'FULL', DELTA = 'DELTA' }
export enum RunStatus { RUNNING = 'RUNNING', SUCCEEDED = 'SUCCEEDED', FAILED = 'FAILED', ABORTED = 'ABORTED' }
export enum ReconcileOperation { CREATED = 'CREATED', UPDATED = 'UPDATED', NO_CHANGE = 'NO_CHANGE', SKIPPED = 'SKIPPED', ERROR = 'ERROR' }
export enum MatchStatus { MATCHED = 'MATCHED', MULTI_MATCH = 'MULTI_MATCH', NO_MATCH = 'NO_MATCH', SKIPPED = 'SKIPPED' }

export enum ChangeKind {
  CREATED = 'CREATED', UPDATED = 'UPDATED', DELETED = 'DELETED', RELATIONSHIP_ADDED = 'RELATIONSHIP_ADDED', RELATIONSHIP_REMOVED = 'RELATIONSHIP_REMOVED',
  /** A duplicate was merged into this CI (otherId: the duplicate; oldValue: its last snapshot). */
  MERGED = 'MERGED',
}
registerEnumType(ChangeKind, { name: 'ChangeKind', description: 'What a history record records.' });

export enum SourceDeletionPolicy { REFUSE = 'REFUSE', KEEP_CIS = 'KEEP_CIS', DELETE_CIS = 'DELETE_CIS' }
registerEnumType(SourceDeletionPolicy, {
  name: 'SourceDeletionPolicy',
  description: 'What deleteSource does with CIs only that source reports: REFUSE to delete while there are any, KEEP_CIS (without a source), DELETE_CIS (with a snapshot in history).',
});

registerEnumType(SourceKind, { name: 'SourceKind' });
registerEnumType(DeletionPolicy, { name: 'DeletionPolicy', description: 'What a successful FULL run does with CIs its source no longer reports.' });
registerEnumType(RelationshipPolicy, { name: 'RelationshipPolicy', description: 'What a successful FULL run does with edges its source no longer reports.' });
registerEnumType(SyncMode, { name: 'SyncMode', description: 'FULL reports the whole scope (enables stale handling); DELTA only changes.' });
registerEnumType(RunStatus, { name: 'RunStatus' });
registerEnumType(ReconcileOperation, { name: 'ReconcileOperation' });
registerEnumType(MatchStatus, { name: 'MatchStatus' });
