import { Field, Float, GraphQLISODateTime, ID, Int } from 'type-graphql';
import { ObjectType } from './object-type';
import { ExpectedRelationshipType } from './catalog.type';

@ObjectType('HealthSummary', { description: 'The headline numbers of the health report.' })
export class HealthSummaryType {
  @Field(() => Int) totalCis!: number;
  @Field(() => Float, { description: 'Share of required and recommended attribute slots filled, 0..1.' }) completeness!: number;
  @Field(() => Int, { description: 'Open duplicate records plus identifier-collision groups.' }) duplicateCount!: number;
  @Field(() => Int, { description: 'CIs (not RETIRED) missing a relationship their class expects.' }) orphanCount!: number;
  @Field(() => Int, { description: 'CIs no source confirmed within its staleness window.' }) staleCount!: number;
  @Field(() => Int, { description: 'CIs that stale handling marked (staleSince set).' }) markedStaleCount!: number;
}

@ObjectType('ClassHealth', { description: 'The health measures of one class (CIs of exactly that class).' })
export class ClassHealthType {
  @Field(() => String) class!: string;
  @Field(() => Int) ciCount!: number;
  @Field(() => Float) completeness!: number;
  @Field(() => Int) orphanCount!: number;
  @Field(() => Int) staleCount!: number;
  @Field(() => Int) markedStaleCount!: number;
  @Field(() => Int) duplicateCount!: number;
}

@ObjectType('AttributeFill', { description: 'How many CIs of a class fill one expected attribute.' })
export class AttributeFillType {
  @Field(() => String) attribute!: string;
  @Field(() => Boolean, { description: 'Required (otherwise recommended).' }) required!: boolean;
  @Field(() => Int) filled!: number;
  @Field(() => Float) filledRatio!: number;
}

@ObjectType('ClassCompleteness')
export class ClassCompletenessType {
  @Field(() => String) class!: string;
  @Field(() => Int) ciCount!: number;
  @Field(() => [String], { description: 'Required and recommended attributes, inherited ones included.' }) expectedAttributes!: string[];
  @Field(() => Float, { description: '1 when the class expects no attribute.' }) filledRatio!: number;
  @Field(() => [AttributeFillType], { description: 'The five least-filled expected attributes, lowest first.' }) leastFilled!: AttributeFillType[];
}

@ObjectType('CompletenessHealth')
export class CompletenessHealthType {
  @Field(() => Float, { description: 'filledSlots / expectedSlots over all classes.' }) filledRatio!: number;
  @Field(() => Int, { description: 'CIs × expected attributes, summed over classes.' }) expectedSlots!: number;
  @Field(() => Int) filledSlots!: number;
  @Field(() => [ClassCompletenessType], { description: 'Classes with CIs, by name.' }) classes!: ClassCompletenessType[];
}

@ObjectType('OpenDuplicateRecord', { description: 'An item reconciliation matched to several CIs (MULTI_MATCH), not yet resolved.' })
export class OpenDuplicateRecordType {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: "The item's reference in its batch." }) ref!: string;
  @Field(() => String) class!: string;
  @Field(() => String) source!: string;
  @Field(() => ID, { nullable: true }) runId!: string | null;
  @Field(() => [ID], { description: 'The CIs it matched.' }) candidates!: string[];
  @Field(() => GraphQLISODateTime) at!: string;
}

@ObjectType('IdentifierCollision', { description: 'CIs sharing every identifier value of one identification rule.' })
export class IdentifierCollisionType {
  @Field(() => String, { description: 'The class declaring the rule; it searches that class and its subclasses.' }) ruleClass!: string;
  @Field(() => [String]) identifiers!: string[];
  @Field(() => [String], { description: 'The shared values, in identifier order.' }) values!: string[];
  @Field(() => [ID], { description: 'By id.' }) ciIds!: string[];
  @Field(() => [String], { description: 'Classes of the colliding CIs, each once, in the order of their first CI.' }) classes!: string[];
}

@ObjectType('ClassDuplicateCount')
export class ClassDuplicateCountType {
  @Field(() => String) class!: string;
  @Field(() => Int) openRecords!: number;
  @Field(() => Int, { description: 'Collision groups with a CI of this class.' }) collisions!: number;
}

@ObjectType('DuplicateHealth')
export class DuplicateHealthType {
  @Field(() => Int, { description: 'openRecordCount + collisionCount.' }) count!: number;
  @Field(() => Int) openRecordCount!: number;
  @Field(() => [OpenDuplicateRecordType], { description: 'The latest open records, at most `limit`.' }) openRecords!: OpenDuplicateRecordType[];
  @Field(() => Int) collisionCount!: number;
  @Field(() => [IdentifierCollisionType], { description: 'At most `limit` groups, by rule.' }) collisions!: IdentifierCollisionType[];
  @Field(() => [ClassDuplicateCountType]) byClass!: ClassDuplicateCountType[];
}

@ObjectType('ClassCount')
export class ClassCountType {
  @Field(() => String) class!: string;
  @Field(() => Int) count!: number;
}

@ObjectType('OrphanCi', { description: 'A CI missing relationships its class expects.' })
export class OrphanCiType {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String) class!: string;
  @Field(() => [ExpectedRelationshipType]) missing!: ExpectedRelationshipType[];
}

@ObjectType('OrphanHealth')
export class OrphanHealthType {
  @Field(() => Int) count!: number;
  @Field(() => [ClassCountType]) byClass!: ClassCountType[];
  @Field(() => [OrphanCiType], { description: 'At most `limit`, by class and name.' }) sample!: OrphanCiType[];
}

@ObjectType('ClassStaleness')
export class ClassStalenessType {
  @Field(() => String) class!: string;
  @Field(() => Int) ciCount!: number;
  @Field(() => Int, { description: 'Not confirmed by any source within that source\'s window.' }) unconfirmed!: number;
  @Field(() => Int, { description: 'Marked stale by stale handling.' }) markedStale!: number;
}

@ObjectType('StalenessHealth')
export class StalenessHealthType {
  @Field(() => Int) unconfirmedCount!: number;
  @Field(() => Int) markedStaleCount!: number;
  @Field(() => [ClassStalenessType]) byClass!: ClassStalenessType[];
}

@ObjectType('SourceRunSummary')
export class SourceRunSummaryType {
  @Field(() => ID) id!: string;
  @Field(() => String) scope!: string;
  @Field(() => String) mode!: string;
  @Field(() => GraphQLISODateTime, { nullable: true }) finishedAt!: string | null;
  @Field(() => Int) itemsReported!: number;
}

@ObjectType('SourceFreshness', { description: 'When a data source last delivered, and how much it reports.' })
export class SourceFreshnessType {
  @Field(() => String) name!: string;
  @Field(() => String) kind!: string;
  @Field(() => Float) stalenessHours!: number;
  @Field(() => SourceRunSummaryType, { nullable: true }) lastSuccessfulRun!: SourceRunSummaryType | null;
  @Field(() => String, { nullable: true, description: 'Status of the latest run started.' }) lastRunStatus!: string | null;
  @Field(() => Int) runsLast24h!: number;
  @Field(() => Int, { description: 'CIs the source currently reports (records not flagged missing), all classes.' }) ciCount!: number;
}

@ObjectType('CmdbHealth', { description: 'Data quality of the CMDB, overall and per class, and the freshness of each source.' })
export class CmdbHealthType {
  @Field(() => GraphQLISODateTime, { description: 'When these figures were measured.' }) generatedAt!: string;
  @Field(() => String, { nullable: true, description: 'The class filter, or null for the whole estate.' }) class!: string | null;
  @Field(() => HealthSummaryType) summary!: HealthSummaryType;
  @Field(() => [ClassHealthType], { description: 'Classes with CIs or duplicates, by name.' }) classes!: ClassHealthType[];
  @Field(() => CompletenessHealthType) completeness!: CompletenessHealthType;
  @Field(() => DuplicateHealthType) duplicates!: DuplicateHealthType;
  @Field(() => OrphanHealthType) orphans!: OrphanHealthType;
  @Field(() => StalenessHealthType) staleness!: StalenessHealthType;
  @Field(() => [SourceFreshnessType], { description: 'Every data source, not restricted by the class filter.' }) sources!: SourceFreshnessType[];
}
