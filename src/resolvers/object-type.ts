import { ObjectType as TypeGraphQLObjectType, ObjectTypeOptions } from 'type-graphql';

/**
 * type-graphql's @ObjectType with its plain fields left to GraphQL's default resolver. Otherwise type-graphql gives
 * every @Field a resolver of its own, there to run field middlewares and auth rules this schema never puts on a plain
 * field; the compiled executor reads a field without a resolver inline, but must call one that has it, so a page of
 * 100 CIs and 500 edges paid some 3,000 calls and an impact answer of 30,000 CIs about 150,000. @FieldResolver
 * methods keep their resolvers, with their middlewares and @Allow rules.
 */
export function ObjectType(name: string, options: ObjectTypeOptions = {}): ClassDecorator {
  return TypeGraphQLObjectType(name, { simpleResolvers: true, ...options });
}
