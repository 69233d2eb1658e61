import { Arg, Ctx, Field, ID, Resolver, Root, Subscription } from 'type-graphql';
import { ObjectType } from './object-type';
import { Allow } from '../auth/allow';
import { Permission } from '../auth/permissions';
import { can } from '../auth/principal';
import { filter, pipe } from '@graphql-yoga/subscription';
import { AlertReceivedEvent, CiChangedEvent, ServiceHealthEvent, TOPICS } from '../events/event-bus';
import { CiSummaryType } from './impact.type';
import { RequestContext } from './context';
import { EventStatus, OperationalStateEnum } from './event.type';

@ObjectType('CiChanged', { description: 'A committed write to a CI: reconcile, a manual edit, a merge or cleanup.' })
export class CiChangedType {
  @Field(() => ID) ciId!: string;
  @Field() name!: string;
  @Field() class!: string;
  @Field(() => [String], { description: 'CREATED, UPDATED, DELETED, RELATIONSHIP_ADDED, RELATIONSHIP_REMOVED, MERGED, in order.' }) kinds!: string[];
  @Field(() => [String], { description: 'The fields that changed; sensitive ones only for those who may read them.' }) fields!: string[];
  @Field() at!: string;
  @Field({ description: 'The source or caller that wrote it.' }) actor!: string;
}

@ObjectType('AlertReceived')
export class AlertReceivedType {
  @Field() source!: string;
  @Field() fingerprint!: string;
  @Field(() => EventStatus) status!: string;
  @Field(() => OperationalStateEnum) state!: string;
  @Field(() => String, { nullable: true }) severity!: string | null;
  @Field(() => String, { nullable: true }) summary!: string | null;
  @Field(() => ID, { nullable: true, description: 'The CI it was bound to; null when unbound.' }) ciId!: string | null;
  @Field() at!: string;
}

@ObjectType('HealthChangeCause', { description: 'A failing CI behind a service\'s new health.' })
export class HealthChangeCauseType {
  @Field(() => CiSummaryType) ci!: CiSummaryType;
  @Field(() => OperationalStateEnum) state!: string;
}

@ObjectType('ServiceHealthChanged', { description: 'A business or technical service\'s health changed (serviceHealth has the alerts and incidents behind it).' })
export class ServiceHealthChangedType {
  @Field(() => CiSummaryType) service!: CiSummaryType;
  @Field(() => OperationalStateEnum) health!: string;
  @Field(() => OperationalStateEnum) previous!: string;
  @Field(() => [HealthChangeCauseType], { description: 'The failing CIs whose failure reaches it; empty once it is OPERATIONAL.' }) causes!: HealthChangeCauseType[];
  @Field() at!: string;
}

type HealthArgs = { serviceIds?: string[] | null };

const matchesIds = (id: string | null, ids: string[] | null | undefined) => !ids?.length || (id !== null && ids.includes(id));

/** Live feeds over graphql-ws on /graphql, authenticated in connection_init with the same tokens and roles. */
@Resolver()
export class SubscriptionResolver {
  @Allow(Permission.READ)
  @Subscription(() => CiChangedType, {
    topics: TOPICS.CI_CHANGED,
    description: 'Every committed write to a CI, optionally only of these classes (subclasses included) or these CIs.',
    filter: ({ payload, args, context }: { payload: CiChangedEvent; args: { classes?: string[] | null; ciIds?: string[] | null }; context: RequestContext }) =>
      matchesIds(payload.ciId, args.ciIds) && (!args.classes?.length || args.classes.some((c) => context.catalog.isA(payload.class, c))),
  })
  ciChanged(
    @Root() event: CiChangedEvent,
    @Ctx() ctx: RequestContext,
    @Arg('classes', () => [String], { nullable: true }) _classes: string[] | null,
    @Arg('ciIds', () => [ID], { nullable: true }) _ciIds: string[] | null,
  ): CiChangedType {
    if (can(ctx.principal, Permission.READ_SENSITIVE)) return event;
    // A viewer learns that a CI changed, not which sensitive attributes did.
    const attributes = ctx.catalog.getClass(event.class)?.attributes;
    return { ...event, fields: event.fields.filter((f) => !attributes?.get(f)?.sensitive) };
  }

  @Allow(Permission.READ)
  @Subscription(() => AlertReceivedType, {
    topics: TOPICS.ALERT_RECEIVED,
    description: 'Every alert received (firing or resolved), optionally only those bound to these CIs.',
    filter: ({ payload, args }: { payload: AlertReceivedEvent; args: { ciIds?: string[] | null } }) => matchesIds(payload.ciId, args.ciIds),
  })
  alertReceived(@Root() event: AlertReceivedEvent, @Arg('ciIds', () => [ID], { nullable: true }) _ciIds: string[] | null): AlertReceivedType {
    return event;
  }

  @Allow(Permission.READ)
  @Subscription(() => ServiceHealthChangedType, {
    description: 'Each change of a service\'s health (or of the CIs that explain it), optionally only of these services; delivered once per change whichever API instance computed it.',
    // The per-instance topic: each instance delivers a change once, however many instances computed it.
    subscribe: ({ args, context }: { args: HealthArgs; context: RequestContext }) => {
      if (!context.bus) throw new Error('serviceHealthChanged needs the app\'s event bus');
      return pipe(context.bus.local.subscribe(TOPICS.SERVICE_HEALTH_CHANGED), filter((e: ServiceHealthEvent) => matchesIds(e.service.id, args.serviceIds)));
    },
  })
  serviceHealthChanged(@Root() event: ServiceHealthEvent, @Arg('serviceIds', () => [ID], { nullable: true }) _serviceIds: string[] | null): ServiceHealthChangedType {
    return event;
  }
}
