import { Arg, Ctx, FieldResolver, GraphQLISODateTime, ID, Int, Query, Resolver, Root, UseMiddleware } from 'type-graphql';
import { Allow } from '../auth/allow';
import { Permission } from '../auth/permissions';
import { can } from '../auth/principal';
import { CiRecord } from '../graph/ci.record';
import { ChangeFeedQuery, FeedEntry } from '../services/change-feed.service';
import { ChangePage, decodeChangeCursor, toChangePage } from '../services/history.service';
import { toChangeView } from './change-view';
import { CiRefInput } from './ci-ref.input';
import { RequestContext } from './context';
import { ChangeKind } from './enums';
import { MapDomainErrors } from './errors';
import { ChangeType, FeedChangeConnectionType, FeedChangeType } from './history.type';
import { CiSummaryType, ImpactDirectionEnum } from './impact.type';

const summary = (ci: CiRecord): CiSummaryType => ({ id: ci.id, name: ci.name, class: ci.class, criticality: ci.criticality, owner: ci.owner, supportGroup: ci.supportGroup });

export async function feedPage(ctx: RequestContext, q: Omit<ChangeFeedQuery, 'after'>, after: string | null): Promise<ChangePage<FeedEntry & ChangeType>> {
  const cursor = after ? decodeChangeCursor(after) : null;
  const rows = await ctx.changes.changes({ ...q, after: cursor });
  const mayRead = can(ctx.principal, Permission.READ_SENSITIVE);
  return toChangePage(rows.map((r) => toChangeView(ctx.catalog, r, r.ciClass, mayRead)), q.first, cursor !== null);
}

@UseMiddleware(MapDomainErrors)
@Resolver()
export class ChangeFeedResolver {
  @Allow(Permission.READ)
  @Query(() => FeedChangeConnectionType, {
    description: 'What changed around these CIs: the history of the CIs upstream (or downstream) of them within maxDepth, newest first, '
      + 'each with its CI; with no CI given, the estate-wide feed. The first question of an incident.',
  })
  async changes(
    @Ctx() ctx: RequestContext,
    @Arg('ciIds', () => [ID], { nullable: true }) ciIds: string[] | null,
    @Arg('ciRefs', () => [CiRefInput], { nullable: true }) ciRefs: CiRefInput[] | null,
    @Arg('since', () => GraphQLISODateTime, { nullable: true, description: 'Records at or after this moment.' }) since: Date | null,
    @Arg('until', () => GraphQLISODateTime, { nullable: true, description: 'Records before this moment.' }) until: Date | null,
    @Arg('direction', () => ImpactDirectionEnum, { defaultValue: 'UPSTREAM', description: 'UPSTREAM: what the CIs depend on; DOWNSTREAM: what depends on them.' }) direction: 'UPSTREAM' | 'DOWNSTREAM',
    @Arg('maxDepth', () => Int, { defaultValue: 3, description: 'How many relationship steps (1 to 10).' }) maxDepth: number,
    @Arg('classes', () => [String], { nullable: true, description: 'Only changes of CIs of these classes (subclasses included).' }) classes: string[] | null,
    @Arg('kinds', () => [ChangeKind], { nullable: true }) kinds: string[] | null,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ) {
    const ids = ciIds?.length || ciRefs?.length ? await ctx.refs.ids(ciIds, ciRefs, { ids: 'ciIds', refs: 'ciRefs' }) : [];
    return feedPage(ctx, { ciIds: ids, since: since?.toISOString(), until: until?.toISOString(), direction, maxDepth, classes, kinds, first }, after);
  }
}

@Resolver(() => FeedChangeType)
export class FeedChangeResolver {
  @FieldResolver(() => CiSummaryType, { nullable: true })
  async ci(@Root() change: FeedEntry, @Ctx() ctx: RequestContext): Promise<CiSummaryType | null> {
    const ci = await ctx.loaders.ciById.load(change.ciId);
    if (ci) return summary(ci);
    return change.ciName && change.ciClass ? { id: change.ciId, name: change.ciName, class: change.ciClass, criticality: null, owner: null, supportGroup: null } : null;
  }
}

@Resolver(() => ChangeType)
export class ChangeEndsResolver {
  @FieldResolver(() => CiSummaryType, { nullable: true, description: 'For a relationship change, the CI at the other end (null when it has since been deleted).' })
  async other(@Root() change: ChangeType, @Ctx() ctx: RequestContext): Promise<CiSummaryType | null> {
    const ci = change.otherId ? await ctx.loaders.ciById.load(change.otherId) : null;
    return ci ? summary(ci) : null;
  }
}
