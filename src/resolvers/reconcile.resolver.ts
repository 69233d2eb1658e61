import { Arg, Ctx, ID, Int, Mutation, Query, Resolver, UseMiddleware } from 'type-graphql';
import { Allow } from '../auth/allow';
import { Permission } from '../auth/permissions';
import { MapDomainErrors } from './errors';
import { assertMayReportAs } from '../auth/guards';
import { can } from '../auth/principal';
import { redactReconcileItems } from '../auth/sensitive';
import { NotFoundError } from '../model/field-error';
import { RequestContext } from './context';
import { PrecedenceRuleInput, ReconcileInput, RegisterSourceInput } from './reconcile.input';
import { ReconcileResultType } from './reconcile.type';
import { DataSourceType, PrecedenceRuleType, SourceDeletionType, SyncRunType } from './sources.type';
import { RunStatus, SourceDeletionPolicy, SyncMode } from './enums';

@UseMiddleware(MapDomainErrors)
@Resolver()
export class ReconcileResolver {
  @Allow(Permission.RECONCILE)
  @Mutation(() => ReconcileResultType, { description: 'Identifies and reconciles one batch of records from a source, explaining every decision.' })
  async reconcile(@Arg('input', () => ReconcileInput) input: ReconcileInput, @Ctx() ctx: RequestContext) {
    assertMayReportAs(ctx.principal, input.source, 'input.source');
    const result = await ctx.reconcile.reconcile(input);
    return can(ctx.principal, Permission.READ_SENSITIVE) ? result : { ...result, items: redactReconcileItems(ctx.catalog, result.items) };
  }

  @Allow(Permission.ADMIN)
  @Mutation(() => DataSourceType, { description: 'Registers a data source or changes its settings.' })
  registerSource(@Arg('input', () => RegisterSourceInput) input: RegisterSourceInput, @Ctx() ctx: RequestContext) {
    return ctx.syncRuns.registerSource(input);
  }

  @Allow(Permission.ADMIN)
  @Mutation(() => SourceDeletionType, {
    description: 'Removes a data source with its source records, edge assertions and precedence entries; CIs it alone reports per the policy (default REFUSE, saying how many).',
  })
  deleteSource(
    @Arg('name', () => String) name: string,
    @Arg('policy', () => SourceDeletionPolicy, { defaultValue: SourceDeletionPolicy.REFUSE }) policy: SourceDeletionPolicy,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.sourceDeletion.deleteSource(name, policy);
  }

  @Allow(Permission.EDIT)
  @Mutation(() => PrecedenceRuleType, { description: 'Ranks sources for a class and attribute (inherited by subclasses, overridable).' })
  setPrecedenceRule(@Arg('input', () => PrecedenceRuleInput) input: PrecedenceRuleInput, @Ctx() ctx: RequestContext) {
    return ctx.syncRuns.setPrecedenceRule(input);
  }

  @Allow(Permission.RECONCILE)
  @Mutation(() => SyncRunType, { description: 'Starts a run of one job over one scope (a cluster, an account, a subnet).' })
  startSyncRun(
    @Arg('source', () => String) source: string,
    @Arg('scope', () => String) scope: string,
    @Arg('mode', () => SyncMode) mode: string,
    @Ctx() ctx: RequestContext,
  ) {
    assertMayReportAs(ctx.principal, source);
    return ctx.syncRuns.startRun(source, scope, mode);
  }

  @Allow(Permission.RECONCILE)
  @Mutation(() => SyncRunType, { description: 'Ends a run; a FULL run that SUCCEEDED then handles what its scope no longer reports.' })
  async finishSyncRun(
    @Arg('runId', () => ID) runId: string,
    @Arg('status', () => RunStatus, { description: 'SUCCEEDED, FAILED or ABORTED.' }) status: string,
    @Ctx() ctx: RequestContext,
  ) {
    const run = await ctx.syncRuns.getRun(runId);
    if (run) assertMayReportAs(ctx.principal, run.source, 'runId');
    return ctx.syncRuns.finishRun(runId, status);
  }

  @Allow(Permission.READ)
  @Query(() => [DataSourceType])
  dataSources(@Ctx() ctx: RequestContext) {
    return ctx.syncRuns.listSources();
  }

  @Allow(Permission.READ)
  @Query(() => [PrecedenceRuleType])
  precedenceRules(@Ctx() ctx: RequestContext) {
    return ctx.syncRuns.listPrecedenceRules();
  }

  @Allow(Permission.READ)
  @Query(() => SyncRunType)
  async syncRun(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    const run = await ctx.syncRuns.getRun(id);
    if (!run) throw new NotFoundError('id', `no sync run '${id}'`);
    return run;
  }

  @Allow(Permission.READ)
  @Query(() => [SyncRunType], { description: 'Newest first.' })
  syncRuns(
    @Ctx() ctx: RequestContext,
    @Arg('source', () => String, { nullable: true }) source?: string | null,
    @Arg('first', () => Int, { defaultValue: 20 }) first = 20,
  ) {
    return ctx.syncRuns.listRuns(source ?? null, first);
  }
}
