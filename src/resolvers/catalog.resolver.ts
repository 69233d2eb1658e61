import { Arg, Ctx, Query, Resolver, UseMiddleware } from 'type-graphql';
import { Allow } from '../auth/allow';
import { Permission } from '../auth/permissions';
import { MapDomainErrors } from './errors';
import { Catalog } from '../model/catalog';
import { CiClassDef } from '../model/catalog.types';
import { CiClassType, RelationshipTypeDefinitionType } from './catalog.type';
import { RequestContext } from './context';

function toClassType(catalog: Catalog, cls: CiClassDef): CiClassType {
  return {
    name: cls.name,
    parent: cls.parent,
    abstract: cls.abstract,
    description: cls.description,
    ancestry: cls.ancestry,
    subclasses: [...catalog.classes.values()].filter((c) => c.parent === cls.name).map((c) => c.name),
    attributes: [...cls.attributes.values()],
    identificationRules: cls.identification,
    expectedRelationships: cls.expectedRelationships,
    defaultRedundancy: cls.redundancy,
  };
}

@UseMiddleware(MapDomainErrors)
@Resolver()
export class CatalogResolver {
  @Allow(Permission.READ)
  @Query(() => [CiClassType], { description: 'The CI class model. With `name`, that class and its subclasses.' })
  ciClasses(@Ctx() { catalog }: RequestContext, @Arg('name', () => String, { nullable: true }) name?: string | null): CiClassType[] {
    const names = name ? catalog.descendants(name) : [...catalog.classes.keys()];
    return names.map((n) => toClassType(catalog, catalog.getClass(n)!));
  }

  @Allow(Permission.READ)
  @Query(() => [RelationshipTypeDefinitionType], { description: 'The relationship-type catalog.' })
  relationshipTypes(@Ctx() { catalog }: RequestContext): RelationshipTypeDefinitionType[] {
    return [...catalog.relationshipTypes.values()].map((t) => ({ ...t, allowedSources: t.sources, allowedTargets: t.targets }));
  }
}
