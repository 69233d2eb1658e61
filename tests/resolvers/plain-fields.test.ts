import 'reflect-metadata';
import { GraphQLObjectType, GraphQLSchema, isObjectType } from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import { buildCmdbSchema } from '../../src/resolvers/schema';

/** Fields of output objects that carry a resolver without being a @FieldResolver method (of their class or a parent). */
function plainFieldsWithResolver(schema: GraphQLSchema): string[] {
  const storage = getMetadataStorage();
  const resolvedBy = storage.fieldResolvers.map((r) => ({ cls: r.getObjectType?.() ?? r.resolverClassMetadata?.getObjectType(), field: r.schemaName }));
  const declared = (cls: Function, field: string): boolean =>
    resolvedBy.some((r) => r.field === field && typeof r.cls === 'function' && (r.cls === cls || r.cls.prototype.isPrototypeOf(cls.prototype)));
  const classes = new Map(storage.objectTypes.map((t) => [t.name, t.target]));
  const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]);
  return Object.values(schema.getTypeMap())
    .filter((t): t is GraphQLObjectType => isObjectType(t) && classes.has(t.name) && !roots.has(t))
    .flatMap((t) => Object.values(t.getFields()).filter((f) => f.resolve && !declared(classes.get(t.name)!, f.name)).map((f) => `${t.name}.${f.name}`));
}

// A resolver on a plain field makes the compiled executor call it for every object of an answer (see object-type.ts).
it('plain fields of output objects are read by the default resolver; field resolvers keep theirs', async () => {
  const schema = await buildCmdbSchema();
  expect(plainFieldsWithResolver(schema)).toEqual([]);
  const field = (type: string, name: string) => (schema.getType(type) as GraphQLObjectType).getFields()[name];
  expect(field('CI', 'name').resolve).toBeUndefined();
  expect(field('AffectedCi', 'severity').resolve).toBeUndefined();
  expect(field('CI', 'relationships').resolve).toBeInstanceOf(Function);
  expect(field('ChangeImpact', 'openIncidents').resolve).toBeInstanceOf(Function);
});
