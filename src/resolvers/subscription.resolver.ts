import { Arg, Ctx, Field, ID, ObjectType, Resolver, Root, Subscription } from 'type-graphql';
import { Allow } from '../auth/allow';
import { Permission } from '../auth/permissions';
import { can } from '../auth/principal';
import { AlertReceivedEvent, CiChangedEvent, TOPICS } from '../events/event-bus';
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
}
