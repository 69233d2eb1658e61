import { Arg, Ctx, ID, Int, Mutation, Query, Resolver, UseMiddleware } from 'type-graphql';
import { Allow } from '../auth/allow';
import { Permission } from '../auth/permissions';
import { MapDomainErrors } from './errors';
import { RequestContext } from './context';
import { AffectedCiType, ChangeImpactType, ImpactInput, ImpactResultType, RedundancyRuleType, RootCauseCandidateType } from './impact.type';

@UseMiddleware(MapDomainErrors)
@Resolver()
export class ImpactResolver {
  @Allow(Permission.READ)
  @Query(() => ImpactResultType, { description: 'What these CIs failing affects (or depends on), how badly, why, and who to call.' })
  impact(@Arg('input', () => ImpactInput) input: ImpactInput, @Ctx() ctx: RequestContext) {
    return ctx.impact.impact({ ...input, asOf: input.asOf?.toISOString() ?? null });
  }

  @Allow(Permission.READ)
  @Query(() => [AffectedCiType], { description: 'CIs whose failure alone takes the service DOWN, given the redundancy rules.' })
  singlePointsOfFailure(
    @Arg('serviceId', () => ID) serviceId: string,
    @Ctx() ctx: RequestContext,
    @Arg('maxDepth', () => Int, { nullable: true }) maxDepth?: number | null,
  ) {
    return ctx.impact.singlePointsOfFailure(serviceId, maxDepth);
  }

  @Allow(Permission.READ)
  @Query(() => [RootCauseCandidateType], { description: 'Upstream CIs that would explain most of the CIs observed failing, best first.' })
  rootCauseCandidates(
    @Arg('ciIds', () => [ID]) ciIds: string[],
    @Ctx() ctx: RequestContext,
    @Arg('limit', () => Int, { defaultValue: 10 }) limit: number,
  ) {
    return ctx.impact.rootCauseCandidates(ciIds, limit);
  }

  @Allow(Permission.READ)
  @Query(() => ChangeImpactType, { description: 'Services a planned change on these CIs affects, with severity, criticality, owners and a risk level.' })
  changeImpact(@Arg('ciIds', () => [ID]) ciIds: string[], @Ctx() ctx: RequestContext) {
    return ctx.impact.changeImpact(ciIds);
  }

  @Allow(Permission.EDIT)
  @Mutation(() => [RedundancyRuleType], { description: 'Declares (or with quorum null removes) that a CI needs only `quorum` of its providers of this type.' })
  setRedundancy(
    @Arg('ciId', () => ID) ciId: string,
    @Arg('type', () => String) type: string,
    @Arg('quorum', () => Int, { nullable: true }) quorum: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.impact.setRedundancy(ciId, type, quorum ?? null);
  }
}
