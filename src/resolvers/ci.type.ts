import { Field, ID, Int } from 'type-graphql';
import { ObjectType } from './object-type';
import { GraphQLJSONObject } from 'graphql-scalars';
import { GraphQLISODateTime } from 'type-graphql';
import { Criticality, EdgeDirection, LifecycleStatus } from './enums';

@ObjectType('CI', { description: 'A configuration item: common fields, class attributes and relationships.' })
export class CiType {
  @Field(() => ID, { description: 'Stable UUID.' })
  id!: string;

  @Field()
  name!: string;

  @Field({ description: 'The CI class from the model catalog.' })
  class!: string;

  @Field(() => LifecycleStatus, { nullable: true })
  lifecycleStatus!: string | null;

  @Field(() => String, { nullable: true })
  environment!: string | null;

  @Field(() => String, { nullable: true })
  owner!: string | null;

  @Field(() => String, { nullable: true, description: 'The support group to call.' })
  supportGroup!: string | null;

  @Field(() => Criticality, { nullable: true })
  criticality!: string | null;

  @Field(() => GraphQLISODateTime)
  createdAt!: string;

  @Field(() => GraphQLISODateTime)
  updatedAt!: string;

  @Field(() => GraphQLJSONObject, { description: 'Class attributes by name, typed as the catalog declares them.' })
  attributes!: Record<string, unknown>;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Set when no source has reported the CI since a successful FULL run.' })
  staleSince!: string | null;
}

@ObjectType('CiRelationship', { description: 'One edge seen from a CI.' })
export class CiRelationshipType {
  @Field({ description: 'The relationship type as stored (from its source to its target).' })
  type!: string;

  @Field(() => EdgeDirection, { description: 'OUTGOING when this CI is the source.' })
  direction!: string;

  @Field({ description: 'The type read from this CI: the type itself when OUTGOING, its inverse name when INCOMING.' })
  label!: string;

  @Field({ description: "The type's inverse name (e.g. USED_BY for DEPENDS_ON)." })
  inverseName!: string;

  @Field(() => CiType, { description: 'The CI at the other end.' })
  ci!: CiType;

  @Field(() => GraphQLISODateTime, { nullable: true })
  createdAt!: string | null;

  @Field(() => [String], { description: 'Sources asserting the edge; it goes away when none does (or on a manual unrelate).' })
  sources!: string[];
}

@ObjectType('Relationship', { description: 'An edge between two CIs.' })
export class RelationshipType {
  @Field()
  type!: string;

  @Field()
  inverseName!: string;

  @Field(() => CiType)
  from!: CiType;

  @Field(() => CiType)
  to!: CiType;

  @Field(() => GraphQLISODateTime)
  createdAt!: string;

  @Field({ description: 'False when the edge already existed.' })
  created!: boolean;
}

@ObjectType('DeleteCiResult')
export class DeleteCiResultType {
  @Field(() => ID)
  id!: string;

  @Field(() => Int)
  deletedRelationships!: number;
}
