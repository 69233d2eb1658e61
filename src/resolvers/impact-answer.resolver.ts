import { Arg, Ctx, FieldResolver, GraphQLISODateTime, Int, Resolver, Root, UseMiddleware } from 'type-graphql';
import { affectedPage } from '../impact/affected-page';
import { AffectedCi } from '../impact/impact.types';
import { feedPage } from './change-feed.resolver';
import { RequestContext } from './context';
import { ChangeKind } from './enums';
import { MapDomainErrors } from './errors';
import { FeedChangeConnectionType } from './history.type';
import { AffectedCiConnectionType, ImpactResultType } from './impact.type';

/** Fields of an impact answer computed from it on demand: its recent changes and its affected CIs as pages. */
@UseMiddleware(MapDomainErrors)
@Resolver(() => ImpactResultType)
export class ImpactChangesResolver {
  @FieldResolver(() => FeedChangeConnectionType, { description: 'Recent changes of the failed CIs and every CI in this answer, newest first: "and this database changed 20 minutes ago".' })
  recentChanges(
    @Root() result: ImpactResultType,
    @Ctx() ctx: RequestContext,
    @Arg('since', () => GraphQLISODateTime) since: Date,
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
    @Arg('kinds', () => [ChangeKind], { nullable: true }) kinds: string[] | null,
  ) {
    const ids = [...new Set([...result.failed.map((c) => c.id), ...result.affected.map((a) => a.ci.id)])];
    return feedPage(ctx, { ciIds: ids, walk: false, since: since.toISOString(), kinds, first }, null);
  }
}

@UseMiddleware(MapDomainErrors)
@Resolver(() => ImpactResultType)
export class AffectedPageResolver {
  @FieldResolver(() => AffectedCiConnectionType, {
    description: 'The affected CIs as pages, worst and nearest first; services, countsByClass and notify stay complete. '
      + 'An incident form asking for the services and the first 50 affected CIs does not pay for serialising all of them.',
  })
  affectedConnection(
    @Root() result: ImpactResultType,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ) {
    return affectedPage(result.affected as AffectedCi[], first, after);
  }
}
