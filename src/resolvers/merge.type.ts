import { Field, GraphQLISODateTime, ID, Int } from 'type-graphql';
import { ObjectType } from './object-type';
import { CiType } from './ci.type';

@ObjectType('MergeResult', { description: 'What merging a duplicate into its survivor moved.' })
export class MergeResultType {
  @Field(() => CiType) survivor!: CiType;
  @Field(() => [String], { description: 'Fields the survivor lacked and took from the duplicate (with their provenance).' }) fieldsTaken!: string[];
  @Field(() => Int, { description: "The duplicate's relationships now on the survivor." }) relationshipsMoved!: number;
  @Field(() => Int, { description: "The duplicate's source records now on the survivor: its sources' next reports find it." }) sourceRecordsMoved!: number;
  @Field(() => Int, { description: 'Open duplicate records naming both, closed as MERGED.' }) duplicateRecordsClosed!: number;
}

@ObjectType('ResolvedDuplicateRecord', { description: 'A duplicate record after its resolution.' })
export class ResolvedDuplicateRecordType {
  @Field(() => ID) id!: string;
  @Field(() => String) ref!: string;
  @Field(() => String) class!: string;
  @Field(() => String) source!: string;
  @Field(() => [ID]) candidates!: string[];
  @Field(() => String, { description: 'DISMISSED or MERGED.' }) status!: string;
  @Field(() => GraphQLISODateTime) resolvedAt!: string;
  @Field(() => String) resolvedBy!: string;
  @Field(() => String, { nullable: true }) reason!: string | null;
}
