import { Arg, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root, UseMiddleware } from 'type-graphql';
import { Allow } from '../auth/allow';
import { assertMayPostEventsAs } from '../auth/guards';
import { Permission } from '../auth/permissions';
import { CiRecord } from '../graph/ci.record';
import { AlertRow } from '../graph/alert.queries';
import { MAX_EVENTS } from '../events/event.service';
import { EventInput } from '../events/event.types';
import { InputError } from '../model/field-error';
import { CiType } from './ci.type';
import { RequestContext } from './context';
import { MapDomainErrors } from './errors';
import { AlertType, EventInputType, IngestResultType, OperationalStatusType } from './event.type';

export const alertView = (a: AlertRow): AlertType => ({ ...a, labels: JSON.parse(a.labels), annotations: JSON.parse(a.annotations) });

const SEVERITY_ORDER = ['OPERATIONAL', 'DEGRADED', 'DOWN'];

@UseMiddleware(MapDomainErrors)
@Resolver()
export class EventResolver {
  @Allow(Permission.EVENTS)
  @Mutation(() => IngestResultType, { description: 'Events of any monitoring source, bound to CIs by id or by the binding rules; a key seen again updates its alert.' })
  async ingestEvents(
    @Ctx() ctx: RequestContext,
    @Arg('source', () => String) source: string,
    @Arg('events', () => [EventInputType]) events: EventInputType[],
  ) {
    assertMayPostEventsAs(ctx.principal, source);
    const errors = [];
    if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(source)) errors.push({ field: 'source', reason: 'lower-case letters, digits, ".", "_" and "-", at most 64' });
    if (events.length > MAX_EVENTS) errors.push({ field: 'events', reason: `at most ${MAX_EVENTS} per call, got ${events.length}` });
    events.forEach((e, i) => {
      if (!e.key || e.key.length > 256) errors.push({ field: `events[${i}].key`, reason: 'is required, at most 256 characters' });
      const labels = e.labels ?? {};
      const bad = Object.entries(labels).find(([, v]) => typeof v !== 'string');
      if (bad) errors.push({ field: `events[${i}].labels.${bad[0]}`, reason: 'label values are strings' });
      if (!e.ciId && !Object.keys(labels).length) errors.push({ field: `events[${i}]`, reason: 'give ciId or labels to bind it by' });
    });
    if (errors.length) throw new InputError(errors);
    const now = new Date().toISOString();
    const input: EventInput[] = events.map((e) => ({
      source, fingerprint: e.key, status: e.status === 'RESOLVED' ? 'RESOLVED' : 'FIRING', labels: (e.labels ?? {}) as Record<string, string>, annotations: {},
      severity: e.severity ?? (e.labels?.severity as string | undefined) ?? null, summary: e.summary ?? null, startsAt: e.at?.toISOString() ?? now,
      endsAt: e.status === 'RESOLVED' ? now : null, generatorUrl: null, ciId: e.ciId ?? null,
    }));
    return ctx.events.ingest(input);
  }

  @Allow(Permission.READ)
  @Query(() => [AlertType], { description: 'Alerts no binding rule placed on a CI, newest first, with the reason: kept, never dropped.' })
  async unboundEvents(
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('open', () => Boolean, { nullable: true, description: 'Only firing (true) or only resolved (false) ones.' }) open: boolean | null,
  ) {
    if (first < 1 || first > 500) throw new InputError([{ field: 'first', reason: `must be from 1 to 500, got ${first}` }]);
    return (await ctx.events.unbound(first, open ?? null)).map(alertView);
  }
}

@UseMiddleware(MapDomainErrors)
@Resolver(() => CiType)
export class CiOperationalStateResolver {
  @FieldResolver(() => OperationalStatusType, { description: 'What its open alerts say of it now (worst first), batched per request.' })
  async operationalStatus(@Root() ci: CiRecord, @Ctx() ctx: RequestContext) {
    const alerts = await ctx.loaders.openAlerts.load(ci.id);
    const worst = alerts.reduce((w, a) => (SEVERITY_ORDER.indexOf(a.state) > SEVERITY_ORDER.indexOf(w) ? a.state : w), 'OPERATIONAL');
    return { state: ci.lifecycleStatus === 'IN_MAINTENANCE' ? 'IN_MAINTENANCE' : worst, alerts: alerts.map(alertView) };
  }
}
