import { Field, Float, ID, Int, GraphQLISODateTime } from 'type-graphql';
import { ObjectType } from './object-type';
import { DeletionPolicy, RelationshipPolicy, RunStatus, SourceDeletionPolicy, SourceKind, SyncMode } from './enums';

@ObjectType('DataSource')
export class DataSourceType {
  @Field(() => String) name!: string;
  @Field(() => SourceKind) kind!: string;
  @Field(() => Int) priority!: number;
  @Field(() => Float) stalenessHours!: number;
  @Field(() => DeletionPolicy) deletionPolicy!: string;
  @Field(() => Float) retentionDays!: number;
  @Field(() => RelationshipPolicy) relationshipPolicy!: string;
  @Field(() => GraphQLISODateTime) createdAt!: string;
  @Field(() => GraphQLISODateTime) updatedAt!: string;
}

@ObjectType('CleanupReport', { description: 'What stale handling did after a successful FULL run.' })
export class CleanupReportType {
  @Field(() => Int) missingRecords!: number;
  @Field(() => Int) markedStale!: number;
  @Field(() => Int) retired!: number;
  @Field(() => Int) deleted!: number;
  @Field(() => Int) relationshipsUnasserted!: number;
  @Field(() => Int) relationshipsRemoved!: number;
}

@ObjectType('SyncRun')
export class SyncRunType {
  @Field(() => ID) id!: string;
  @Field(() => String) source!: string;
  @Field(() => String) scope!: string;
  @Field(() => SyncMode) mode!: string;
  @Field(() => RunStatus) status!: string;
  @Field(() => GraphQLISODateTime) startedAt!: string;
  @Field(() => GraphQLISODateTime, { nullable: true }) finishedAt!: string | null;
  @Field(() => String, { nullable: true, description: 'The caller that started it (`token:<name>`, `jwt:<subject>`); null for in-process work.' }) startedBy!: string | null;
  @Field(() => String, { nullable: true, description: 'The caller that finished it.' }) finishedBy!: string | null;
  @Field(() => Int) itemsReported!: number;
  @Field(() => Int) batches!: number;
  @Field(() => CleanupReportType, { nullable: true }) cleanup!: CleanupReportType | null;
}

@ObjectType('PrecedenceRule')
export class PrecedenceRuleType {
  @Field(() => String) class!: string;
  @Field(() => String) attribute!: string;
  @Field(() => [String]) sources!: string[];
}

@ObjectType('SourceDeletion', { description: 'What deleting a data source removed.' })
export class SourceDeletionType {
  @Field(() => String) source!: string;
  @Field(() => SourceDeletionPolicy) policy!: string;
  @Field(() => Int, { description: 'CIs the source alone reported (deleted with DELETE_CIS, kept with KEEP_CIS).' }) soleSourceCis!: number;
  @Field(() => Int) cisDeleted!: number;
  @Field(() => Int) sourceRecordsRemoved!: number;
  @Field(() => Int, { description: 'Edges the source no longer asserts.' }) relationshipsUnasserted!: number;
  @Field(() => Int, { description: 'Edges nobody asserts any more, removed with history.' }) relationshipsRemoved!: number;
  @Field(() => Int) precedenceRulesChanged!: number;
}
