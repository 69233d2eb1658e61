import { RedundancyRuleType } from './impact.type';
import { Field, Int } from 'type-graphql';
import { ObjectType } from './object-type';
import { AttributeType, EdgeDirection, Propagation } from './enums';

@ObjectType('AttributeLimits')
export class AttributeLimitsType {
  @Field(() => Int, { description: 'UTF-8 bytes of a string, of each item of a stringList, or of a json value serialised.' }) maxLength!: number;
  @Field(() => Int, { description: 'Items of a stringList.' }) maxItems!: number;
  @Field(() => Int, { description: 'Nesting levels of a json value.' }) maxDepth!: number;
}

@ObjectType('AttributeDefinition')
export class AttributeDefinitionType {
  @Field() name!: string;
  @Field(() => AttributeType) type!: string;
  @Field() required!: boolean;
  @Field({ description: 'Counted by completeness in the health report.' }) recommended!: boolean;
  @Field({ description: 'Reserved for roles allowed to see secrets.' }) sensitive!: boolean;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field({ description: 'The class that declared it (an ancestor for inherited attributes).' }) declaredBy!: string;
  @Field(() => AttributeLimitsType, { description: 'Bounds every value must keep; a value over one is refused naming it.' }) limits!: AttributeLimitsType;
}

@ObjectType('RelatedVia')
export class RelatedViaType {
  @Field() type!: string;
  @Field(() => EdgeDirection) direction!: string;
}

@ObjectType('IdentificationRule', { description: 'An identifier set used by reconciliation, tried in priority order.' })
export class IdentificationRuleType {
  @Field(() => Int) priority!: number;
  @Field(() => [String]) identifiers!: string[];
  @Field(() => RelatedViaType, { nullable: true, description: 'Set for dependent identification: unique only among CIs related this way to the same CI.' })
  relatedVia!: RelatedViaType | null;
  @Field() declaredBy!: string;
}

@ObjectType('ExpectedRelationship')
export class ExpectedRelationshipType {
  @Field() type!: string;
  @Field(() => EdgeDirection) direction!: string;
}

@ObjectType('CiClass', { description: 'A class of the CI model, with inheritance resolved.' })
export class CiClassType {
  @Field() name!: string;
  @Field(() => String, { nullable: true }) parent!: string | null;
  @Field() abstract!: boolean;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => [String], { description: 'From the root class down to this one.' }) ancestry!: string[];
  @Field(() => [String], { description: 'Direct subclasses.' }) subclasses!: string[];
  @Field(() => [AttributeDefinitionType]) attributes!: AttributeDefinitionType[];
  @Field(() => [IdentificationRuleType]) identificationRules!: IdentificationRuleType[];
  @Field(() => [ExpectedRelationshipType]) expectedRelationships!: ExpectedRelationshipType[];
  @Field(() => [RedundancyRuleType], { description: 'The redundancy rules a new CI of this class starts with (a load balancer\'s members).' })
  defaultRedundancy!: RedundancyRuleType[];
}

@ObjectType('RelationshipTypeDefinition', { description: 'A relationship type of the catalog.' })
export class RelationshipTypeDefinitionType {
  @Field() name!: string;
  @Field() inverseName!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => Propagation) propagation!: string;
  @Field(() => [String], { description: 'Classes allowed as source (subclasses included).' }) allowedSources!: string[];
  @Field(() => [String], { description: 'Classes allowed as target (subclasses included).' }) allowedTargets!: string[];
}
