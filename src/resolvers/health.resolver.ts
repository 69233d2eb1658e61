import { Arg, Ctx, FieldResolver, Float, Int, Query, Resolver, Root, UseMiddleware } from 'type-graphql';
import { Allow } from '../auth/allow';
import { Permission } from '../auth/permissions';
import { MapDomainErrors } from './errors';
import { HealthReport } from '../services/health.types';
import { RequestContext } from './context';
import { CmdbHealthType } from './health.type';

@UseMiddleware(MapDomainErrors)
@Resolver(() => CmdbHealthType)
export class HealthResolver {
  @Allow(Permission.READ)
  @Query(() => CmdbHealthType, {
    description: 'Completeness, duplicates, orphans, staleness and source freshness. With `class`, that class and its subclasses.',
  })
  cmdbHealth(
    @Ctx() ctx: RequestContext,
    @Arg('class', () => String, { nullable: true }) className?: string | null,
    @Arg('limit', () => Int, { defaultValue: 20, description: 'Longest list of examples (duplicates, collisions, orphans).' }) limit = 20,
    @Arg('maxAgeSeconds', () => Int, {
      defaultValue: 0,
      description: 'How old a report you accept. 0 measures now (sharing a measurement already under way); a dashboard passing 60 reads the last report while it is younger, refreshed in the background. `generatedAt` and `ageSeconds` say how old the figures are.',
    }) maxAgeSeconds = 0,
  ): Promise<HealthReport> {
    return ctx.health.report({ className, limit, maxAgeSeconds });
  }

  @FieldResolver(() => Float, { description: 'Seconds between generatedAt and this answer.' })
  ageSeconds(@Root() report: HealthReport): number {
    return Math.max(0, (Date.now() - Date.parse(report.generatedAt)) / 1000);
  }
}
