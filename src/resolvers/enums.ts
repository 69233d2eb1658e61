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
