import { Arg, Ctx, ID, Int, Mutation, Query, Resolver, UseMiddleware } from 'type-graphql';
import { MapDomainErrors } from './errors';
import { NotFoundError } from '../model/field-error';
import { RequestContext } from './context';
import { PrecedenceRuleInput, ReconcileInput, RegisterSourceInput } from './reconcile.input';
import { ReconcileResultType } from './reconcile.type';
import { DataSourceType, PrecedenceRuleType, SyncRunType } from './sources.type';
import { RunStatus, SyncMode } from './enums';

@UseMiddleware(MapDomainErrors)
@Resolver()
export class ReconcileResolver {
  @Mutation(() => ReconcileResultType, { description: 'Identifies and reconciles one batch of records from a source, explaining every decision.' })
  reconcile(@Arg('input', () => ReconcileInput) input: ReconcileInput, @Ctx() ctx: RequestContext) {
    return ctx.reconcile.reconcile(input);
  }

  @Mutation(() => DataSourceType, { description: 'Registers a data source or changes its settings.' })
  registerSource(@Arg('input', () => RegisterSourceInput) input: RegisterSourceInput, @Ctx() ctx: RequestContext) {
    return ctx.syncRuns.registerSource(input);
  }

  @Mutation(() => PrecedenceRuleType, { description: 'Ranks sources for a class and attribute (inherited by subclasses, overridable).' })
  setPrecedenceRule(@Arg('input', () => PrecedenceRuleInput) input: PrecedenceRuleInput, @Ctx() ctx: RequestContext) {
    return ctx.syncRuns.setPrecedenceRule(input);
  }

  @Mutation(() => SyncRunType, { description: 'Starts a run of one job over one scope (a cluster, an account, a subnet).' })
  startSyncRun(
    @Arg('source', () => String) source: string,
    @Arg('scope', () => String) scope: string,
    @Arg('mode', () => SyncMode) mode: string,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.syncRuns.startRun(source, scope, mode);
  }

  @Mutation(() => SyncRunType, { description: 'Ends a run; a FULL run that SUCCEEDED then handles what its scope no longer reports.' })
  finishSyncRun(
    @Arg('runId', () => ID) runId: string,
    @Arg('status', () => RunStatus, { description: 'SUCCEEDED, FAILED or ABORTED.' }) status: string,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.syncRuns.finishRun(runId, status);
  }

  @Query(() => [DataSourceType])
  dataSources(@Ctx() ctx: RequestContext) {
    return ctx.syncRuns.listSources();
  }

  @Query(() => [PrecedenceRuleType])
  precedenceRules(@Ctx() ctx: RequestContext) {
    return ctx.syncRuns.listPrecedenceRules();
  }

  @Query(() => SyncRunType)
  async syncRun(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    const run = await ctx.syncRuns.getRun(id);
    if (!run) throw new NotFoundError('id', `no sync run '${id}'`);
    return run;
  }

  @Query(() => [SyncRunType], { description: 'Newest first.' })
  syncRuns(
    @Ctx() ctx: RequestContext,
    @Arg('source', () => String, { nullable: true }) source?: string | null,
    @Arg('first', () => Int, { defaultValue: 20 }) first = 20,
  ) {
    return ctx.syncRuns.listRuns(source ?? null, first);
  }
}
