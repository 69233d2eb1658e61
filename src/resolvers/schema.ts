import 'reflect-metadata';
import { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { CatalogResolver } from './catalog.resolver';
import { CiConnectionResolver } from './ci-connection.resolver';
import { CiResolver } from './ci.resolver';
import { HealthResolver } from './health.resolver';
import { ReconcileResolver } from './reconcile.resolver';
import { ImpactResolver } from './impact.resolver';
import { CiDependencyResolver, ExploreResolver } from './explore.resolver';
import { TokenResolver } from './token.resolver';
import { ChangeEndsResolver, ChangeFeedResolver, FeedChangeResolver } from './change-feed.resolver';
import { AffectedPageResolver, ImpactChangesResolver } from './impact-answer.resolver';
import { MergeResolver } from './merge.resolver';
import { authChecker } from '../auth/auth-checker';
import { CiOperationalStateResolver, EventResolver } from './event.resolver';
import { HealthCauseResolver, ServiceHealthResolver } from './service-health.resolver';
import { SubscriptionResolver } from './subscription.resolver';
import { createEventBus, EventBus } from '../events/event-bus';
import { ChangeConflictsResolver, CiTicketsResolver, ImpactIncidentsResolver, TicketResolver } from './ticket.resolver';

export const RESOLVERS = [
  CatalogResolver, CiResolver, CiConnectionResolver, ReconcileResolver, ImpactResolver, ExploreResolver, CiDependencyResolver, HealthResolver, TokenResolver,
  ChangeFeedResolver, ImpactChangesResolver, AffectedPageResolver, FeedChangeResolver, ChangeEndsResolver, MergeResolver,
  TicketResolver, CiTicketsResolver, ImpactIncidentsResolver, ChangeConflictsResolver, EventResolver, CiOperationalStateResolver,
  ServiceHealthResolver, HealthCauseResolver, SubscriptionResolver,
] as const;

/**
 * The executable schema; the same call generates schema/schema.graphql. Domain errors are mapped
 * per resolver class (@UseMiddleware): a global middleware would also wrap every plain field of
 * every object, which on a large impact answer costs more than the query.
 */
export function buildCmdbSchema(bus: EventBus = createEventBus()): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [...RESOLVERS],
    pubSub: bus.shared,
    validate: false,
    authChecker,
  });
}
