import { Field, ID, Int } from 'type-graphql';
import { ObjectType } from './object-type';
import { GraphQLJSON } from 'graphql-scalars';
import { MatchStatus, ReconcileOperation } from './enums';

@ObjectType('FieldError')
export class FieldErrorType {
  @Field(() => String) field!: string;
  @Field(() => String) reason!: string;
}

@ObjectType('IdentificationAttempt')
export class IdentificationAttemptType {
  @Field(() => String, { description: 'sourceNativeKey, an identifier set such as serialNumber or hostname+domain (@TYPE when dependent), lookup:Class or samePayload.' })
  rule!: string;
  @Field(() => MatchStatus, { description: 'SKIPPED: the item lacks the identifiers.' }) status!: string;
  @Field(() => [ID]) candidates!: string[];
}

@ObjectType('AttributeChange')
export class AttributeChangeType {
  @Field(() => String) field!: string;
  @Field(() => GraphQLJSON, { nullable: true }) oldValue!: unknown;
  @Field(() => GraphQLJSON, { nullable: true }) newValue!: unknown;
  @Field(() => String, { description: "Why this source's value won." }) reason!: string;
}

@ObjectType('KeptValue', { description: 'A value this source offered that precedence refused.' })
export class KeptValueType {
  @Field(() => String) field!: string;
  @Field(() => GraphQLJSON, { nullable: true }) offered!: unknown;
  @Field(() => GraphQLJSON, { nullable: true }) kept!: unknown;
  @Field(() => String) heldBy!: string;
  @Field(() => String) reason!: string;
}

@ObjectType('ReconcileItemResult')
export class ReconcileItemResultType {
  @Field(() => String) ref!: string;
  @Field(() => Int) index!: number;
  @Field(() => ID, { nullable: true, description: 'Null for items in error and for CIs a dry run would create.' }) ciId!: string | null;
  @Field(() => String) class!: string;
  @Field(() => ReconcileOperation) operation!: string;
  @Field(() => [IdentificationAttemptType]) identification!: IdentificationAttemptType[];
  @Field(() => [AttributeChangeType]) changes!: AttributeChangeType[];
  @Field(() => [KeptValueType]) kept!: KeptValueType[];
  @Field(() => [FieldErrorType]) errors!: FieldErrorType[];
}

@ObjectType('ReconcileRelationshipResult')
export class ReconcileRelationshipResultType {
  @Field(() => Int) index!: number;
  @Field(() => String) from!: string;
  @Field(() => String) to!: string;
  @Field(() => String) type!: string;
  @Field(() => ID, { nullable: true }) fromId!: string | null;
  @Field(() => ID, { nullable: true }) toId!: string | null;
  @Field(() => ReconcileOperation, { description: 'CREATED (new edge), UPDATED (this source now asserts it too), NO_CHANGE, SKIPPED or ERROR.' }) operation!: string;
  @Field(() => [FieldErrorType]) errors!: FieldErrorType[];
}

@ObjectType('ReconcileTotals')
export class ReconcileTotalsType {
  @Field(() => Int) items!: number;
  @Field(() => Int) created!: number;
  @Field(() => Int) updated!: number;
  @Field(() => Int) noChange!: number;
  @Field(() => Int) skipped!: number;
  @Field(() => Int) errors!: number;
  @Field(() => Int) relationshipsCreated!: number;
  @Field(() => Int) relationshipsUpdated!: number;
  @Field(() => Int) relationshipsUnchanged!: number;
  @Field(() => Int) relationshipErrors!: number;
}

@ObjectType('ReconcileResult')
export class ReconcileResultType {
  @Field(() => String) source!: string;
  @Field(() => ID, { nullable: true }) runId!: string | null;
  @Field(() => Boolean) dryRun!: boolean;
  @Field(() => [ReconcileItemResultType]) items!: ReconcileItemResultType[];
  @Field(() => [ReconcileRelationshipResultType]) relationships!: ReconcileRelationshipResultType[];
  @Field(() => ReconcileTotalsType) totals!: ReconcileTotalsType;
}
