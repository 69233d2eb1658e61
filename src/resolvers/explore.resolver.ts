import { Arg, Ctx, FieldResolver, GraphQLISODateTime, ID, Int, Query, Resolver, Root, UseMiddleware } from 'type-graphql';
import { Allow } from '../auth/allow';
import { Permission } from '../auth/permissions';
import { MapDomainErrors } from './errors';
import { CiRecord } from '../graph/ci.record';
import { RequestContext } from './context';
import { CiType } from './ci.type';
import { CiRefInput } from './ci-ref.input';
import { CiAtDepthType, CiPathType, NeighborhoodType } from './explore.type';
import { RedundancyRuleType } from './impact.type';
import { parseRedundancy } from '../impact/impact-graph';

const MAX_DEPENDENCY_DEPTH = 6;
const clampDepth = (d: number) => Math.max(1, Math.min(d, MAX_DEPENDENCY_DEPTH));
const clampFirst = (f: number) => Math.max(1, Math.min(f, 1000));

@UseMiddleware(MapDomainErrors)
@Resolver()
export class ExploreResolver {
  @Allow(Permission.READ)
  @Query(() => NeighborhoodType, { description: 'CIs within `depth` relationships of a CI (any direction) and the edges among them.' })
  async neighborhood(
    @Ctx() ctx: RequestContext,
    @Arg('ciId', () => ID, { nullable: true }) ciId: string | null,
    @Arg('ci', () => CiRefInput, { nullable: true, description: 'The CI by name or identifiers instead of ciId.' }) ci: CiRefInput | null,
    @Arg('depth', () => Int, { defaultValue: 2 }) depth: number,
    @Arg('types', () => [String], { nullable: true }) types: string[] | null,
    @Arg('limit', () => Int, { defaultValue: 200 }) limit: number,
    @Arg('asOf', () => GraphQLISODateTime, { nullable: true, description: 'As it was then: CIs and edges created later are left out (edges removed since are not put back).' }) asOf: Date | null,
  ) {
    return ctx.explore.neighborhood(await ctx.refs.one(ciId, ci, { id: 'ciId', ref: 'ci' }), depth, types, limit, asOf);
  }

  @Allow(Permission.READ)
  @Query(() => [CiPathType], { description: 'The shortest paths between two CIs, edges followed in either direction.' })
  async paths(
    @Ctx() ctx: RequestContext,
    @Arg('fromId', () => ID, { nullable: true }) fromId: string | null,
    @Arg('toId', () => ID, { nullable: true }) toId: string | null,
    @Arg('from', () => CiRefInput, { nullable: true, description: 'The start by name or identifiers instead of fromId.' }) from: CiRefInput | null,
    @Arg('to', () => CiRefInput, { nullable: true, description: 'The end by name or identifiers instead of toId.' }) to: CiRefInput | null,
    @Arg('maxDepth', () => Int, { defaultValue: 6 }) maxDepth: number,
    @Arg('types', () => [String], { nullable: true }) types: string[] | null,
    @Arg('limit', () => Int, { defaultValue: 10 }) limit: number,
  ) {
    const [start, end] = [await ctx.refs.one(fromId, from, { id: 'fromId', ref: 'from' }), await ctx.refs.one(toId, to, { id: 'toId', ref: 'to' })];
    const found = await ctx.explore.paths(start, end, maxDepth, types, limit);
    return found.map((p) => ({
      length: p.edges.length,
      steps: p.edges.map((e, i) => ({ from: p.nodes[i], to: p.nodes[i + 1], type: e.type, forward: e.source === p.nodes[i].id })),
    }));
  }
}

@UseMiddleware(MapDomainErrors)
@Resolver(() => CiType)
export class CiDependencyResolver {
  @FieldResolver(() => [CiAtDepthType], { description: 'What this CI depends on (its failure sources), within `depth` steps; batched per request.' })
  dependsOn(
    @Root() ci: CiRecord,
    @Ctx() ctx: RequestContext,
    @Arg('depth', () => Int, { defaultValue: 1 }) depth: number,
    @Arg('first', () => Int, { defaultValue: 100 }) first: number,
  ) {
    return ctx.loaders.dependencies.load({ id: ci.id, direction: 'UPSTREAM', depth: clampDepth(depth), first: clampFirst(first) });
  }

  @FieldResolver(() => [CiAtDepthType], { description: 'What depends on this CI (what its failure affects), within `depth` steps; batched per request.' })
  usedBy(
    @Root() ci: CiRecord,
    @Ctx() ctx: RequestContext,
    @Arg('depth', () => Int, { defaultValue: 1 }) depth: number,
    @Arg('first', () => Int, { defaultValue: 100 }) first: number,
  ) {
    return ctx.loaders.dependencies.load({ id: ci.id, direction: 'DOWNSTREAM', depth: clampDepth(depth), first: clampFirst(first) });
  }

  @FieldResolver(() => [RedundancyRuleType], { description: 'Relationship types whose providers are redundant, with the quorum needed.' })
  redundancy(@Root() ci: CiRecord): RedundancyRuleType[] {
    return parseRedundancy(ci.redundancy ?? null);
  }
}
