import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root, UseMiddleware } from 'type-graphql';
import { Allow } from '../auth/allow';
import { Permission } from '../auth/permissions';
import { TicketRow } from '../graph/ticket.queries';
import { CiRecord } from '../graph/ci.record';
import { CiRefInput } from './ci-ref.input';
import { CiType } from './ci.type';
import { RequestContext } from './context';
import { MapDomainErrors } from './errors';
import { ChangeImpactType, ImpactResultType } from './impact.type';
import { ChangeConflictsType, LinkTicketInput, TicketKind, TicketOnCiType, TicketRefInput, TicketType, UnlinkedTicketType } from './ticket.type';

export const ticketView = (t: TicketRow): TicketType => ({ ...t, key: t.number });

/** CI summaries of an answer, by id, for naming the CI a ticket concerns. */
function summaries(result: ImpactResultType): Map<string, ImpactResultType['failed'][number]> {
  return new Map([...result.failed, ...result.affected.map((a) => a.ci)].map((c) => [c.id, c]));
}

@UseMiddleware(MapDomainErrors)
@Resolver()
export class TicketResolver {
  @Allow(Permission.ITSM_WRITE)
  @Mutation(() => TicketType, { description: 'Links an ITSM ticket to a CI; idempotent per system and key (linking again updates it and adds the CI).' })
  async linkTicket(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => LinkTicketInput) input: LinkTicketInput,
    @Arg('ciId', () => ID, { nullable: true }) ciId: string | null,
    @Arg('ci', () => CiRefInput, { nullable: true }) ci: CiRefInput | null,
  ) {
    return ticketView(await ctx.tickets.link(await ctx.refs.one(ciId, ci, { id: 'ciId', ref: 'ci' }), input));
  }

  @Allow(Permission.ITSM_WRITE)
  @Mutation(() => TicketType, { description: 'Changes a linked ticket\'s status, title, URL or window.' })
  async updateTicket(@Ctx() ctx: RequestContext, @Arg('input', () => LinkTicketInput) input: LinkTicketInput) {
    return ticketView(await ctx.tickets.update(input));
  }

  @Allow(Permission.ITSM_WRITE)
  @Mutation(() => UnlinkedTicketType, { description: 'Unlinks a ticket from a CI, or from every CI without ciId; a ticket left with no CI is removed.' })
  async unlinkTicket(
    @Ctx() ctx: RequestContext,
    @Arg('ticket', () => TicketRefInput) ticket: TicketRefInput,
    @Arg('ciId', () => ID, { nullable: true }) ciId: string | null,
  ) {
    const done = await ctx.tickets.unlink(ticket.system, ticket.key, ciId);
    return { ticket: ticketView(done.ticket), deleted: done.deleted };
  }
}

@UseMiddleware(MapDomainErrors)
@Resolver(() => CiType)
export class CiTicketsResolver {
  @FieldResolver(() => [TicketType], { description: 'ITSM tickets concerning this CI, newest first; batched per request.' })
  async tickets(
    @Root() ci: CiRecord,
    @Ctx() ctx: RequestContext,
    @Arg('kinds', () => [TicketKind], { nullable: true }) kinds: string[] | null,
    @Arg('open', () => Boolean, { nullable: true }) open: boolean | null,
  ) {
    return (await ctx.loaders.tickets.load({ id: ci.id, kinds: kinds?.length ? kinds : null, open: open ?? null })).map(ticketView);
  }
}

@UseMiddleware(MapDomainErrors)
@Resolver(() => ImpactResultType)
export class ImpactIncidentsResolver {
  @FieldResolver(() => [TicketOnCiType], { description: 'Open incidents on the failed and affected CIs ("INC0012 is already open on the database this app uses").' })
  async openIncidents(@Root() result: ImpactResultType, @Ctx() ctx: RequestContext) {
    const byId = summaries(result);
    return (await ctx.tickets.openOn([...byId.keys()], 'INCIDENT', null, null)).map((t) => ({ ticket: ticketView(t.ticket), ci: byId.get(t.ciId)! }));
  }
}

@UseMiddleware(MapDomainErrors)
@Resolver(() => ChangeImpactType)
export class ChangeConflictsResolver {
  @FieldResolver(() => ChangeConflictsType, { description: 'Other open changes whose windows overlap on the changed or affected CIs, and open incidents on the affected services.' })
  async conflicts(
    @Root() result: ChangeImpactType,
    @Ctx() ctx: RequestContext,
    @Arg('change', () => TicketRefInput, { nullable: true, description: 'The change being assessed: its window is compared, and it is not its own conflict.' }) change: TicketRefInput | null,
  ) {
    const byId = summaries(result);
    const own = change ? await ctx.tickets.find(change.system, change.key) : null;
    const window = own?.plannedStart && own.plannedEnd ? { start: own.plannedStart, end: own.plannedEnd } : null;
    const changes = await ctx.tickets.openOn([...byId.keys()], 'CHANGE', window, change);
    const services = result.services.map((s) => s.ci.id);
    const incidents = await ctx.tickets.openOn(services, 'INCIDENT', null, null);
    const view = (t: { ticket: TicketRow; ciId: string }) => ({ ticket: ticketView(t.ticket), ci: byId.get(t.ciId)! });
    return { changes: changes.map(view), incidents: incidents.map(view) };
  }
}
