import { Arg, Ctx, ID, Int, Mutation, Query, Resolver, UseMiddleware } from 'type-graphql';
import { Allow } from '../auth/allow';
import { Permission } from '../auth/permissions';
import { MapDomainErrors } from './errors';
import { RequestContext } from './context';
import { CiRefInput } from './ci-ref.input';
import { CHANGE_IMPACT_DEFAULT_DEPTH } from '../impact/impact.service';
import { AffectedCiType, ChangeImpactType, ImpactInput, ImpactResultType, RedundancyRuleType, RootCauseCandidateType } from './impact.type';

@UseMiddleware(MapDomainErrors)
@Resolver()
export class ImpactResolver {
  @Allow(Permission.READ)
  @Query(() => ImpactResultType, { description: 'What these CIs failing affects (or depends on), how badly, why, and who to call.' })
  async impact(@Arg('input', () => ImpactInput) input: ImpactInput, @Ctx() ctx: RequestContext) {
    const ciIds = await ctx.refs.ids(input.ciIds, input.ciRefs, { ids: 'input.ciIds', refs: 'input.ciRefs' });
    return ctx.impact.impact({ ...input, ciIds, asOf: input.asOf?.toISOString() ?? null });
  }

  @Allow(Permission.READ)
  @Query(() => [AffectedCiType], { description: 'CIs whose failure alone takes the service DOWN, given the redundancy rules.' })
  async singlePointsOfFailure(
    @Ctx() ctx: RequestContext,
    @Arg('serviceId', () => ID, { nullable: true }) serviceId?: string | null,
    @Arg('service', () => CiRefInput, { nullable: true, description: 'The service by name or identifiers instead of serviceId.' }) service?: CiRefInput | null,
    @Arg('maxDepth', () => Int, { nullable: true }) maxDepth?: number | null,
  ) {
    return ctx.impact.singlePointsOfFailure(await ctx.refs.one(serviceId, service, { id: 'serviceId', ref: 'service' }), maxDepth);
  }

  @Allow(Permission.READ)
  @Query(() => [RootCauseCandidateType], { description: 'Upstream CIs that would explain most of the CIs observed failing, best first.' })
  async rootCauseCandidates(
    @Ctx() ctx: RequestContext,
    @Arg('ciIds', () => [ID], { nullable: true }) ciIds: string[] | null,
    @Arg('ciRefs', () => [CiRefInput], { nullable: true, description: 'The CIs observed failing by name or identifiers (with ciIds, both count).' }) ciRefs: CiRefInput[] | null,
    @Arg('limit', () => Int, { defaultValue: 10 }) limit: number,
  ) {
    return ctx.impact.rootCauseCandidates(await ctx.refs.ids(ciIds, ciRefs, { ids: 'ciIds', refs: 'ciRefs' }), limit);
  }

  @Allow(Permission.READ)
  @Query(() => ChangeImpactType, { description: 'Services a planned change on these CIs affects, with severity, criticality, owners and a risk level.' })
  async changeImpact(
    @Ctx() ctx: RequestContext,
    @Arg('ciIds', () => [ID], { nullable: true }) ciIds: string[] | null,
    @Arg('ciRefs', () => [CiRefInput], { nullable: true, description: 'The changed CIs by name or identifiers (with ciIds, both count).' }) ciRefs: CiRefInput[] | null,
    @Arg('maxDepth', () => Int, { nullable: true, description: `How far the change's effect is followed (default ${CHANGE_IMPACT_DEFAULT_DEPTH}, at most 10).` }) maxDepth: number | null,
  ) {
    return ctx.impact.changeImpact(await ctx.refs.ids(ciIds, ciRefs, { ids: 'ciIds', refs: 'ciRefs' }), maxDepth);
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
