import { Field, ID, Int, GraphQLISODateTime } from 'type-graphql';
import { ObjectType } from './object-type';
import { GraphQLJSON } from 'graphql-scalars';
import { PageInfoType } from './ci-connection.type';
import { CiSummaryType } from './impact.type';

@ObjectType('Change', { description: 'One recorded change of a CI: attributes, lifecycle, relationships, creation or deletion.' })
export class ChangeType {
  @Field(() => ID) id!: string;
  @Field(() => GraphQLISODateTime) at!: string;
  @Field(() => String, { description: 'CREATED, UPDATED, DELETED, RELATIONSHIP_ADDED, RELATIONSHIP_REMOVED or MERGED.' }) kind!: string;
  @Field(() => String, { description: 'The source for discovered changes; for manual ones the principal (token:<name>, jwt:<subject>).' }) actor!: string;
  @Field(() => String, { nullable: true, description: 'The authenticated caller whose request made the change (token:<name>, jwt:<subject>), also for discovered changes; null for in-process work.' }) principal!: string | null;
  @Field(() => ID, { nullable: true }) runId!: string | null;
  @Field(() => ID, { description: 'The CI changed (the source CI of a relationship change).' }) ciId!: string;
  @Field(() => String, { nullable: true }) field!: string | null;
  @Field(() => GraphQLJSON, { nullable: true }) oldValue!: unknown;
  @Field(() => GraphQLJSON, { nullable: true }) newValue!: unknown;
  @Field(() => String, { nullable: true }) relationshipType!: string | null;
  @Field(() => ID, { nullable: true, description: 'The target CI of a relationship change.' }) otherId!: string | null;
  @Field(() => Boolean, { description: 'True when sensitive values were removed because the caller may not read them.' }) redacted!: boolean;
}

@ObjectType('FeedChange', { description: 'A change with the CI it concerns, for feeds across CIs.' })
export class FeedChangeType extends ChangeType {
  @Field(() => CiSummaryType, { nullable: true, description: 'The CI changed (as it was, when it has since been deleted: then only id, name and class).' }) ci!: CiSummaryType | null;
  @Field(() => Int, { nullable: true, description: 'Relationship steps from the CIs asked about (0: one of them); null in the estate-wide feed.' }) depth!: number | null;
}

@ObjectType('FeedChangeEdge')
export class FeedChangeEdgeType {
  @Field(() => String) cursor!: string;
  @Field(() => FeedChangeType) node!: FeedChangeType;
}

@ObjectType('FeedChangeConnection', { description: 'Changes across CIs, newest first.' })
export class FeedChangeConnectionType {
  @Field(() => [FeedChangeEdgeType]) edges!: FeedChangeEdgeType[];
  @Field(() => PageInfoType) pageInfo!: PageInfoType;
}

@ObjectType('ChangeEdge')
export class ChangeEdgeType {
  @Field(() => String) cursor!: string;
  @Field(() => ChangeType) node!: ChangeType;
}

@ObjectType('ChangeConnection', { description: 'History, newest first.' })
export class ChangeConnectionType {
  @Field(() => [ChangeEdgeType]) edges!: ChangeEdgeType[];
  @Field(() => PageInfoType) pageInfo!: PageInfoType;
}

@ObjectType('AttributeProvenance', { description: 'Who set a value, when it was first set and last confirmed.' })
export class AttributeProvenanceType {
  @Field(() => String) field!: string;
  @Field(() => String) source!: string;
  @Field(() => GraphQLISODateTime) firstSetAt!: string;
  @Field(() => GraphQLISODateTime) lastConfirmedAt!: string;
  @Field(() => ID, { nullable: true }) runId!: string | null;
  @Field(() => String, { nullable: true, description: 'Who set a manual value (token:<name>, jwt:<subject>).' }) actor?: string | null;
}
