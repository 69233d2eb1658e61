import { Arg, Ctx, Int, Query, Resolver, UseMiddleware } from 'type-graphql';
import { Allow } from '../auth/allow';
import { Permission } from '../auth/permissions';
import { MapDomainErrors } from './errors';
import { HealthReport } from '../services/health.types';
import { RequestContext } from './context';
import { CmdbHealthType } from './health.type';

@UseMiddleware(MapDomainErrors)
@Resolver()
export class HealthResolver {
  @Allow(Permission.READ)
  @Query(() => CmdbHealthType, {
    description: 'Completeness, duplicates, orphans, staleness and source freshness. With `class`, that class and its subclasses.',
  })
  cmdbHealth(
    @Ctx() ctx: RequestContext,
    @Arg('class', () => String, { nullable: true }) className?: string | null,
    @Arg('limit', () => Int, { defaultValue: 20, description: 'Longest list of examples (duplicates, collisions, orphans).' }) limit = 20,
  ): Promise<HealthReport> {
    return ctx.health.report({ className, limit });
  }
}
