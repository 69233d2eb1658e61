import 'reflect-metadata';
import { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { CatalogResolver } from './catalog.resolver';
import { CiConnectionResolver } from './ci-connection.resolver';
import { CiResolver } from './ci.resolver';
import { MapDomainErrors } from './errors';
import { HealthResolver } from './health.resolver';
import { ReconcileResolver } from './reconcile.resolver';
import { ImpactResolver } from './impact.resolver';
import { CiDependencyResolver, ExploreResolver } from './explore.resolver';

export const RESOLVERS = [CatalogResolver, CiResolver, CiConnectionResolver, ReconcileResolver, ImpactResolver, ExploreResolver, CiDependencyResolver, HealthResolver] as const;

/** The executable schema; the same call generates schema/schema.graphql. */
export function buildCmdbSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [...RESOLVERS],
    globalMiddlewares: [MapDomainErrors],
    validate: false,
  });
}
