import { Field, GraphQLISODateTime, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { ObjectType } from './object-type';
import { GraphQLJSONObject } from 'graphql-scalars';

export enum EventStatus { FIRING = 'FIRING', RESOLVED = 'RESOLVED' }
export enum OperationalStateEnum { OPERATIONAL = 'OPERATIONAL', DEGRADED = 'DEGRADED', DOWN = 'DOWN', IN_MAINTENANCE = 'IN_MAINTENANCE' }
registerEnumType(EventStatus, { name: 'EventStatus' });
registerEnumType(OperationalStateEnum, { name: 'OperationalState', description: 'What open alerts say of a CI now; IN_MAINTENANCE when its lifecycle says so (its alerts do not page as outages).' });

@ObjectType('Alert', { description: 'An alert from monitoring, one per source and fingerprint: seen again it is updated, resolved it is closed.' })
export class AlertType {
  @Field() source!: string;
  @Field() fingerprint!: string;
  @Field(() => EventStatus) status!: string;
  @Field(() => OperationalStateEnum, { description: 'What it makes of its CI while firing (from its severity, per schema/events.yaml).' }) state!: string;
  @Field(() => String, { nullable: true }) severity!: string | null;
  @Field(() => String, { nullable: true }) summary!: string | null;
  @Field(() => GraphQLJSONObject) labels!: Record<string, string>;
  @Field(() => GraphQLJSONObject) annotations!: Record<string, string>;
  @Field(() => GraphQLISODateTime, { nullable: true }) startsAt!: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) endsAt!: string | null;
  @Field(() => String, { nullable: true }) generatorUrl!: string | null;
  @Field(() => GraphQLISODateTime) firstSeenAt!: string;
  @Field(() => GraphQLISODateTime) lastSeenAt!: string;
  @Field(() => String, { nullable: true, description: 'The binding rule that placed it (ciId when the sender named the CI).' }) boundBy!: string | null;
  @Field(() => String, { nullable: true, description: 'Why no rule bound it.' }) unboundReason!: string | null;
  @Field(() => ID, { nullable: true }) ciId!: string | null;
}

@ObjectType('OperationalStatus', { description: 'A CI\'s operational state and the open alerts behind it; separate from its lifecycle and its discovered attributes.' })
export class OperationalStatusType {
  @Field(() => OperationalStateEnum) state!: string;
  @Field(() => [AlertType]) alerts!: AlertType[];
}

@ObjectType('IngestResult')
export class IngestResultType {
  @Field(() => Int) received!: number;
  @Field(() => Int) created!: number;
  @Field(() => Int) updated!: number;
  @Field(() => Int, { description: 'Alerts this call closed.' }) resolved!: number;
  @Field(() => Int) bound!: number;
  @Field(() => Int) unbound!: number;
}

@InputType('EventInput', { description: 'An event of any monitoring source: the CI by id or by labels (the binding rules), a severity, a dedup key.' })
export class EventInputType {
  @Field({ description: 'Dedup key within the source: the same key updates one alert.' }) key!: string;
  @Field(() => EventStatus, { defaultValue: EventStatus.FIRING }) status!: string;
  @Field(() => ID, { nullable: true, description: 'The CI, when the sender knows it; else the labels bind it.' }) ciId?: string | null;
  @Field(() => GraphQLJSONObject, { nullable: true, description: 'String labels, as Prometheus has them (instance, pod, service...).' }) labels?: Record<string, unknown> | null;
  @Field(() => String, { nullable: true }) severity?: string | null;
  @Field(() => String, { nullable: true }) summary?: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When it started (default now).' }) at?: Date | null;
}
