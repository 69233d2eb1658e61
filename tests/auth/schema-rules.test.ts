import 'reflect-metadata';
import { GraphQLObjectType, GraphQLSchema } from 'graphql';
import { buildCmdbSchema } from '../../src/resolvers/schema';
import { Permission } from '../../src/auth/permissions';

/** Root fields whose extensions do not name a known permission. */
export function fieldsWithoutRule(schema: GraphQLSchema): string[] {
  const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter((t): t is GraphQLObjectType => !!t);
  const known = new Set<string>(Object.values(Permission));
  return roots.flatMap((root) =>
    Object.values(root.getFields())
      .filter((f) => !known.has(String((f.extensions as { permission?: unknown }).permission)))
      .map((f) => `${root.name}.${f.name}`));
}

it('every root query, mutation and subscription declares its permission', async () => {
  const schema = await buildCmdbSchema();
  expect(Object.keys(schema.getQueryType()!.getFields()).length).toBeGreaterThan(15);
  expect(fieldsWithoutRule(schema)).toEqual([]);
});

it('notices a root field whose rule is removed', async () => {
  const schema = await buildCmdbSchema();
  const field = schema.getMutationType()!.getFields().deleteCi;
  const saved = field.extensions;
  (field as { extensions: unknown }).extensions = { ...saved, permission: undefined };
  try {
    expect(fieldsWithoutRule(schema)).toEqual(['Mutation.deleteCi']);
  } finally {
    (field as { extensions: unknown }).extensions = saved;
  }
});
