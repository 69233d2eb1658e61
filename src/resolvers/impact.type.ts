import { Field, ID, InputType, Int, GraphQLISODateTime, registerEnumType } from 'type-graphql';
import { ObjectType } from './object-type';
import { CiRefInput } from './ci-ref.input';
import { PageInfoType } from './ci-connection.type';

export enum ImpactDirectionEnum { DOWNSTREAM = 'DOWNSTREAM', UPSTREAM = 'UPSTREAM' }
export enum SeverityEnum { DOWN = 'DOWN', DEGRADED = 'DEGRADED', OK = 'OK' }
registerEnumType(ImpactDirectionEnum, { name: 'ImpactDirection', description: 'DOWNSTREAM: what the CIs affect; UPSTREAM: what they depend on.' });
registerEnumType(SeverityEnum, { name: 'Severity' });

@InputType('ImpactInput')
export class ImpactInput {
  @Field(() => [ID], { nullable: true, description: 'CIs assumed failed (or under maintenance), by id; or use ciRefs.' }) ciIds?: string[] | null;
  @Field(() => [CiRefInput], { nullable: true, description: 'The same CIs by name or identifiers (with ciIds, both count).' }) ciRefs?: CiRefInput[] | null;
  @Field(() => ImpactDirectionEnum, { nullable: true, description: 'Default DOWNSTREAM.' }) direction?: 'DOWNSTREAM' | 'UPSTREAM' | null;
  @Field(() => Int, { nullable: true, description: 'Default 6, at most 10.' }) maxDepth?: number | null;
  @Field(() => [String], { nullable: true, description: 'Only follow these relationship types.' }) relationshipTypes?: string[] | null;
  @Field(() => [String], { nullable: true, description: 'Only report CIs of these classes (subclasses included).' }) classes?: string[] | null;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Evaluate the graph as it was then.' }) asOf?: Date | null;
  @Field(() => Int, { nullable: true, description: 'At most this many affected CIs (default 5,000); truncated says when cut.' }) limit?: number | null;
}

@ObjectType('CiSummary')
export class CiSummaryType {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String) class!: string;
  @Field(() => String, { nullable: true }) criticality!: string | null;
  @Field(() => String, { nullable: true }) owner!: string | null;
  @Field(() => String, { nullable: true }) supportGroup!: string | null;
}

@ObjectType('PathStep', { description: 'One relationship of an explanation path.' })
export class PathStepType {
  @Field(() => CiSummaryType) from!: CiSummaryType;
  @Field(() => String) type!: string;
  @Field(() => Boolean, { description: 'True when the stored edge points from `from` to `to`.' }) forward!: boolean;
  @Field(() => CiSummaryType) to!: CiSummaryType;
}

@ObjectType('AffectedCi')
export class AffectedCiType {
  @Field(() => CiSummaryType) ci!: CiSummaryType;
  @Field(() => SeverityEnum, { nullable: true, description: 'Null for UPSTREAM questions.' }) severity!: string | null;
  @Field(() => Int) depth!: number;
  @Field(() => [[PathStepType]], { description: 'The shortest paths from a failed CI that explain it (up to 5).' }) paths!: PathStepType[][];
}

@ObjectType('AffectedCiEdge')
export class AffectedCiEdgeType {
  @Field(() => String) cursor!: string;
  @Field(() => AffectedCiType) node!: AffectedCiType;
}

@ObjectType('AffectedCiConnection', { description: 'Affected CIs worst first (DOWN, then DEGRADED), then nearest, then by name.' })
export class AffectedCiConnectionType {
  @Field(() => Int, { description: 'All affected CIs of the answer.' }) totalCount!: number;
  @Field(() => [AffectedCiEdgeType]) edges!: AffectedCiEdgeType[];
  @Field(() => PageInfoType) pageInfo!: PageInfoType;
}

@ObjectType('ImpactClassCount')
export class ImpactClassCountType {
  @Field(() => String) class!: string;
  @Field(() => Int) count!: number;
  @Field(() => Int) down!: number;
  @Field(() => Int) degraded!: number;
}

@ObjectType('NotifyContact', { description: 'An owner or support group to call, with what concerns them.' })
export class NotifyContactType {
  @Field(() => String) contact!: string;
  @Field(() => String, { description: 'owner or supportGroup' }) role!: string;
  @Field(() => Int) cis!: number;
  @Field(() => [String]) services!: string[];
}

@ObjectType('ImpactResult')
export class ImpactResultType {
  @Field(() => ImpactDirectionEnum) direction!: string;
  @Field(() => GraphQLISODateTime, { nullable: true }) asOf!: string | null;
  @Field(() => [CiSummaryType]) failed!: CiSummaryType[];
  @Field(() => [AffectedCiType], { description: 'Nearest first.' }) affected!: AffectedCiType[];
  @Field(() => [AffectedCiType], { description: 'Affected business and technical services, most critical first.' }) services!: AffectedCiType[];
  @Field(() => [ImpactClassCountType]) countsByClass!: ImpactClassCountType[];
  @Field(() => [NotifyContactType]) notify!: NotifyContactType[];
  @Field(() => Boolean, { description: 'True when maxDepth or limit cut the result.' }) truncated!: boolean;
}

@ObjectType('ChangeImpact', { description: 'Risk summary of a planned change, for an ITSM change form.' })
export class ChangeImpactType extends ImpactResultType {
  @Field(() => String, { description: 'HIGH (a critical or high service goes down), MEDIUM, LOW or NONE.' }) risk!: string;
}

@ObjectType('RootCauseCandidate')
export class RootCauseCandidateType {
  @Field(() => AffectedCiType) candidate!: AffectedCiType;
  @Field(() => Int) explainedCount!: number;
  @Field(() => [CiSummaryType], { description: 'The observed failures this CI alone would cause.' }) explains!: CiSummaryType[];
}

@ObjectType('RedundancyRule', { description: "A CI's providers of this relationship type are redundant: `quorum` of them must be up." })
export class RedundancyRuleType {
  @Field(() => String) type!: string;
  @Field(() => Int) quorum!: number;
}
