import { Field, ID, InputType } from 'type-graphql';
import { GraphQLJSON, GraphQLJSONObject } from 'graphql-scalars';
import { Criticality, LifecycleStatus } from './enums';

@InputType('AttributeEquals', { description: 'Matches CIs whose attribute equals the value (typed as the catalog declares it).' })
export class AttributeEqualsInput {
  @Field()
  name!: string;

  @Field(() => GraphQLJSON)
  value!: unknown;
}

@InputType('CiFilter')
export class CiFilterInput {
  @Field(() => String, { nullable: true, description: 'A class; its subclasses match too.' })
  class?: string | null;

  @Field(() => String, { nullable: true, description: 'Exact name (names are not unique: several CIs may match).' })
  name?: string | null;

  @Field(() => [ID], { nullable: true, description: 'Only these CIs (at most 1,000 ids).' })
  ids?: string[] | null;

  @Field(() => String, { nullable: true, description: 'Case-insensitive substring of the name.' })
  nameContains?: string | null;

  @Field(() => [LifecycleStatus], { nullable: true })
  lifecycleStatus?: string[] | null;

  @Field(() => String, { nullable: true })
  environment?: string | null;

  @Field(() => [AttributeEqualsInput], { nullable: true })
  attributes?: AttributeEqualsInput[] | null;
}

@InputType('CreateCiInput')
export class CreateCiInput {
  @Field({ description: 'A concrete class from the model catalog.' })
  class!: string;

  @Field()
  name!: string;

  @Field(() => LifecycleStatus, { nullable: true, description: 'Defaults to INSTALLED.' })
  lifecycleStatus?: string | null;

  @Field(() => String, { nullable: true })
  environment?: string | null;

  @Field(() => String, { nullable: true })
  owner?: string | null;

  @Field(() => String, { nullable: true })
  supportGroup?: string | null;

  @Field(() => Criticality, { nullable: true })
  criticality?: string | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Class attributes by name.' })
  attributes?: Record<string, unknown> | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Create it even when an identification rule finds an existing CI with the same identifiers (default false: CONFLICT naming that CI).',
  })
  allowDuplicate?: boolean | null;
}

@InputType('UpdateCiInput', { description: 'Only the fields given change; null clears an optional field or attribute.' })
export class UpdateCiInput {
  @Field(() => Boolean, {
    nullable: true,
    description: 'Keep the edit even when the new identifiers match another CI (default false: CONFLICT naming it).',
  })
  allowDuplicate?: boolean | null;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => LifecycleStatus, { nullable: true })
  lifecycleStatus?: string | null;

  @Field(() => String, { nullable: true })
  environment?: string | null;

  @Field(() => String, { nullable: true })
  owner?: string | null;

  @Field(() => String, { nullable: true })
  supportGroup?: string | null;

  @Field(() => Criticality, { nullable: true })
  criticality?: string | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Attributes to set; an attribute given as null is removed.' })
  attributes?: Record<string, unknown> | null;
}

@InputType('RelateInput')
export class RelateInput {
  @Field(() => ID, { description: 'The source CI.' })
  from!: string;

  @Field(() => ID, { description: 'The target CI.' })
  to!: string;

  @Field({ description: 'A relationship type from the catalog, e.g. DEPENDS_ON.' })
  type!: string;
}
