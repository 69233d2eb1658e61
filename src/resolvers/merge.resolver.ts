import { Arg, Ctx, ID, Mutation, Resolver, UseMiddleware } from 'type-graphql';
import { Allow } from '../auth/allow';
import { Permission } from '../auth/permissions';
import { CiRefInput } from './ci-ref.input';
import { RequestContext } from './context';
import { MapDomainErrors } from './errors';
import { MergeResultType, ResolvedDuplicateRecordType } from './merge.type';

@UseMiddleware(MapDomainErrors)
@Resolver()
export class MergeResolver {
  @Allow(Permission.EDIT)
  @Mutation(() => MergeResultType, {
    description: 'Merges a duplicate into the CI that survives: relationships, source records, missing values with their provenance and history '
      + 'move onto the survivor, the merge is recorded, open duplicate records naming both are closed, and the duplicate is deleted.',
  })
  async mergeCis(
    @Ctx() ctx: RequestContext,
    @Arg('survivorId', () => ID, { nullable: true }) survivorId: string | null,
    @Arg('survivor', () => CiRefInput, { nullable: true }) survivor: CiRefInput | null,
    @Arg('duplicateId', () => ID, { nullable: true }) duplicateId: string | null,
    @Arg('duplicate', () => CiRefInput, { nullable: true }) duplicate: CiRefInput | null,
  ) {
    const keep = await ctx.refs.one(survivorId, survivor, { id: 'survivorId', ref: 'survivor' });
    const drop = await ctx.refs.one(duplicateId, duplicate, { id: 'duplicateId', ref: 'duplicate' });
    return ctx.merges.merge(keep, drop);
  }

  @Allow(Permission.EDIT)
  @Mutation(() => ResolvedDuplicateRecordType, { description: 'Closes an open duplicate record whose candidates are distinct assets (status DISMISSED).' })
  dismissDuplicate(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String, { nullable: true }) reason: string | null,
  ) {
    return ctx.merges.dismiss(id, reason ?? null);
  }
}
