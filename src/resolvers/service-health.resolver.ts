import { Arg, Ctx, Field, FieldResolver, ID, Query, Resolver, Root, UseMiddleware } from 'type-graphql';
import { ObjectType } from './object-type';
import { Allow } from '../auth/allow';
import { Permission } from '../auth/permissions';
import { ServiceHealth } from '../impact/impact.types';
import { CiRefInput } from './ci-ref.input';
import { RequestContext } from './context';
import { MapDomainErrors } from './errors';
import { alertView } from './event.resolver';
import { AlertType, OperationalStateEnum } from './event.type';
import { CiSummaryType } from './impact.type';
import { ticketView } from './ticket.resolver';
import { TicketOnCiType } from './ticket.type';

@ObjectType('HealthCause', { description: 'A CI that open alerts make DOWN or DEGRADED, explaining a service\'s health.' })
export class HealthCauseType {
  @Field(() => CiSummaryType) ci!: CiSummaryType;
  @Field(() => OperationalStateEnum) state!: string;
}

@ObjectType('ServiceHealth', { description: 'A business or technical service\'s health now, from the open alerts on what it depends on, redundancy considered.' })
export class ServiceHealthType {
  @Field(() => CiSummaryType) service!: CiSummaryType;
  @Field(() => OperationalStateEnum) health!: string;
  @Field(() => [HealthCauseType], { description: 'The failing CIs whose failure reaches it.' }) causes!: HealthCauseType[];
  @Field(() => [ID], { description: 'Failing CIs left out: in maintenance, or under an open change whose window covers now (their alerts do not page as outages).' })
  maintenance!: string[];
}

@UseMiddleware(MapDomainErrors)
@Resolver(() => ServiceHealthType)
export class ServiceHealthResolver {
  @Allow(Permission.READ)
  @Query(() => [ServiceHealthType], { description: 'Services degraded or down now, worst and most critical first; with serviceIds or serviceRefs, those services, healthy ones included.' })
  async serviceHealth(
    @Ctx() ctx: RequestContext,
    @Arg('serviceIds', () => [ID], { nullable: true }) serviceIds: string[] | null,
    @Arg('serviceRefs', () => [CiRefInput], { nullable: true }) serviceRefs: CiRefInput[] | null,
  ): Promise<ServiceHealth[]> {
    const ids = serviceIds?.length || serviceRefs?.length ? await ctx.refs.ids(serviceIds, serviceRefs, { ids: 'serviceIds', refs: 'serviceRefs' }) : null;
    return ctx.impact.serviceHealth(ids);
  }

  @FieldResolver(() => [TicketOnCiType], { description: 'Open incidents on the service and on the CIs that explain its health.' })
  async openIncidents(@Root() h: ServiceHealth, @Ctx() ctx: RequestContext) {
    const byId = new Map([h.service, ...h.causes.map((c) => c.ci)].map((c) => [c.id, c]));
    return (await ctx.tickets.openOn([...byId.keys()], 'INCIDENT', null, null)).map((t) => ({ ticket: ticketView(t.ticket), ci: byId.get(t.ciId)! }));
  }
}

@UseMiddleware(MapDomainErrors)
@Resolver(() => HealthCauseType)
export class HealthCauseResolver {
  @FieldResolver(() => [AlertType], { description: 'Its open alerts, newest first; batched per request.' })
  async alerts(@Root() cause: { ci: { id: string } }, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.openAlerts.load(cause.ci.id)).map(alertView);
  }
}
