import { Field, ID, InputType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Criticality, DeletionPolicy, RelationshipPolicy, SourceKind } from './enums';

@InputType('LookupRecordInput', { description: 'A related record used only to identify the item (e.g. a NetworkInterface by macAddress).' })
export class LookupRecordInput {
  @Field(() => String) class!: string;
  @Field(() => GraphQLJSONObject) attributes!: Record<string, unknown>;
}

@InputType('ReconcileItemInput', { description: 'One record a source reports.' })
export class ReconcileItemInput {
  @Field(() => String, { description: 'Local to this payload; relationships refer to items by ref.' }) ref!: string;
  @Field(() => String) class!: string;
  @Field(() => String, { nullable: true, description: 'Defaults to an identifying attribute (hostname, fqdn...) for new CIs.' }) name?: string | null;
  @Field(() => String, { nullable: true }) environment?: string | null;
  @Field(() => String, { nullable: true }) owner?: string | null;
  @Field(() => String, { nullable: true }) supportGroup?: string | null;
  @Field(() => Criticality, { nullable: true }) criticality?: string | null;
  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Attribute values; null means the source reports no value.' }) attributes?: Record<string, unknown> | null;
  @Field(() => String, { nullable: true, description: "The source's own id for the record, matched first on later runs." }) sourceNativeKey?: string | null;
  @Field(() => [LookupRecordInput], { nullable: true }) lookup?: LookupRecordInput[] | null;
}

@InputType('ReconcileRelationshipInput')
export class ReconcileRelationshipInput {
  @Field(() => String, { description: 'A payload ref or an existing CI id.' }) from!: string;
  @Field(() => String, { description: 'A payload ref or an existing CI id.' }) to!: string;
  @Field(() => String) type!: string;
}

@InputType('ReconcileInput')
export class ReconcileInput {
  @Field(() => String, { description: 'A registered data source.' }) source!: string;
  @Field(() => ID, { nullable: true, description: 'The sync run this batch belongs to (from startSyncRun).' }) runId?: string | null;
  @Field(() => Boolean, { nullable: true, description: 'Compute and explain everything, write nothing.' }) dryRun?: boolean | null;
  @Field(() => [ReconcileItemInput], { description: 'At most 5,000 items.' }) items!: ReconcileItemInput[];
  @Field(() => [ReconcileRelationshipInput], { nullable: true }) relationships?: ReconcileRelationshipInput[] | null;
}

@InputType('RegisterSourceInput')
export class RegisterSourceInput {
  @Field(() => String, { description: 'Lower case, e.g. nmap, vcenter, aws, servicenow.' }) name!: string;
  @Field(() => SourceKind) kind!: string;
  @Field(() => Number, { nullable: true, description: '1 is the highest rank. Default 100.' }) priority?: number | null;
  @Field(() => Number, { nullable: true, description: 'Hours after which its values may be overwritten by lower-ranked sources. Default 72.' }) stalenessHours?: number | null;
  @Field(() => DeletionPolicy, { nullable: true, description: 'Default MARK_STALE.' }) deletionPolicy?: string | null;
  @Field(() => Number, { nullable: true, description: 'Days a retired CI is kept before deletion. Default 30.' }) retentionDays?: number | null;
  @Field(() => RelationshipPolicy, { nullable: true, description: 'Default REMOVE.' }) relationshipPolicy?: string | null;
}

@InputType('PrecedenceRuleInput')
export class PrecedenceRuleInput {
  @Field(() => String, { description: 'Applies to this class and its subclasses.' }) class!: string;
  @Field(() => String, { description: 'An attribute, a common field (name, environment, owner, supportGroup, criticality), or * for all.' }) attribute!: string;
  @Field(() => [String], { description: 'Sources, strongest first; an empty list removes the rule.' }) sources!: string[];
}
