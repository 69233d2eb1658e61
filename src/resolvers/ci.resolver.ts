import { Arg, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root, UseMiddleware } from 'type-graphql';
import { FieldNode, GraphQLObjectType, GraphQLResolveInfo } from 'graphql';
import type { RelationshipPage } from '../graph/relationship.queries';
import { Allow } from '../auth/allow';
import { Permission } from '../auth/permissions';
import { MapDomainErrors } from './errors';
import { childFields, lookAhead, plainCiSelection, selectsAny } from './ci-selection';
import { assertMayUpdateFields } from '../auth/guards';
import { can } from '../auth/principal';
import { sensitiveAttributes, withoutSensitive } from '../auth/sensitive';
import { GraphQLJSONObject } from 'graphql-scalars';
import { CiRecord } from '../graph/ci.record';
import { CiConnectionType } from './ci-connection.type';
import { CiFilterInput, CreateCiInput, RelateInput, UpdateCiInput } from './ci.input';
import { CiRelationshipType, CiType, DeleteCiResultType, RelationshipType } from './ci.type';
import { RequestContext } from './context';
import { RelationshipDirection } from './enums';
import { GraphQLISODateTime } from 'type-graphql';
import { AttributeProvenanceType, ChangeConnectionType, ChangeType } from './history.type';
import { ChangePage, decodeChangeCursor, toChangePage } from '../services/history.service';
import { toChangeView } from './change-view';


export const MAX_RELATIONSHIPS_PER_CI = 1000;

interface RelationshipArgs {
  direction: RelationshipDirection;
  types?: string[] | null;
  first: number;
}

/** The `relationships` field's arguments checked (types in the catalog, first within bounds), as the loader's page. */
function relationshipPage(ctx: RequestContext, args: RelationshipArgs, fields: string[] | null, details: boolean): RelationshipPage {
  return {
    direction: args.direction,
    types: ctx.cis.checkRelationshipTypes(args.types ?? null, 'types'),
    first: Math.max(0, Math.min(args.first, MAX_RELATIONSHIPS_PER_CI)),
    fields,
    details,
  };
}

/** The edge fields that cost a read of the relationship itself; the rest come with its type and neighbour. */
const EDGE_DETAILS = ['createdAt', 'sources'];

/** The `relationships` page a selection of the field asks, with what it reads of edges and neighbours. */
function selectedPage(ctx: RequestContext, info: GraphQLResolveInfo, args: RelationshipArgs, nodes: readonly FieldNode[]): RelationshipPage {
  return relationshipPage(ctx, args, plainCiSelection(info, 'ci', nodes), selectsAny(info, EDGE_DETAILS, nodes));
}

/** The same page read ahead, or null when its arguments are wrong: the field itself then reports them where they were given. */
function lookAheadPage(ctx: RequestContext, info: GraphQLResolveInfo, args: RelationshipArgs, nodes: readonly FieldNode[]): RelationshipPage | null {
  try {
    return selectedPage(ctx, info, args, nodes);
  } catch {
    return null;
  }
}

@UseMiddleware(MapDomainErrors)
@Resolver(() => CiType)
export class CiResolver {
  @Allow(Permission.READ)
  @Query(() => CiType, { description: 'One CI by id; NOT_FOUND when there is none. With asOf, the CI and its relationships as they were then.' })
  ci(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: RequestContext,
    @Arg('asOf', () => GraphQLISODateTime, { nullable: true }) asOf?: Date | null,
  ): Promise<CiRecord> {
    return asOf ? ctx.history.ciAsOf(id, asOf.toISOString()) : ctx.cis.get(id);
  }

  @Allow(Permission.READ)
  @Query(() => CiConnectionType, { description: 'CIs matching a filter, as a Relay connection ordered by name.' })
  async cis(
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
    @Arg('filter', () => CiFilterInput, { nullable: true }) filter?: CiFilterInput | null,
    @Arg('first', () => Int, { defaultValue: 50 }) first = 50,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    // A page asking its CIs' relationships reads them in the same statement and hands them to the loader.
    const rels = lookAhead(info, ['edges', 'node', 'relationships'], info.schema.getType('CI') as GraphQLObjectType);
    const page = rels ? lookAheadPage(ctx, info, rels.args as unknown as RelationshipArgs, rels.nodes) : null;
    // The page's own CIs as few properties as they are asked; their relationships are read apart (or just above).
    const edges = childFields(info, info.fieldNodes, 'edges');
    const fields = edges ? plainCiSelection(info, 'node', edges, ['relationships']) : null;
    const result = await ctx.cis.list(filter, first, after, page, fields);
    if (page) for (const edge of result.edges) ctx.loaders.relationships.prime({ id: edge.node.id, ...page }, edge.relationships ?? []);
    return result;
  }

  @FieldResolver(() => [CiRelationshipType], { description: 'Edges of this CI, batched per request.' })
  async relationships(
    @Root() ci: CiRecord,
    @Ctx() ctx: RequestContext,
    @Arg('direction', () => RelationshipDirection, { defaultValue: RelationshipDirection.BOTH }) direction: RelationshipDirection,
    @Arg('types', () => [String], { nullable: true, description: 'Only these relationship types.' }) types: string[] | null,
    @Arg('first', () => Int, { defaultValue: 100 }) first: number,
    @Info() info: GraphQLResolveInfo,
  ): Promise<CiRelationshipType[]> {
    const page = selectedPage(ctx, info, { direction, types, first }, info.fieldNodes);
    const rels = ci.asOf
      ? ci.asOf.relationships
          .filter((r) => (page.direction === 'BOTH' || r.direction === page.direction) && (!page.types || page.types.includes(r.type)))
          .slice(0, page.first)
      : await ctx.loaders.relationships.load({ id: ci.id, ...page });
    return rels.map((r) => {
      const inverseName = ctx.catalog.getRelationshipType(r.type)?.inverseName ?? r.type;
      return { ...r, inverseName, label: r.direction === 'OUTGOING' ? r.type : inverseName };
    });
  }

  @FieldResolver(() => ChangeConnectionType, { description: 'What changed, newest first: attributes, lifecycle, relationships.' })
  async history(
    @Root() ci: CiRecord,
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<ChangePage<ChangeType>> {
    const size = Math.max(0, Math.min(first, 500));
    const before = after ? decodeChangeCursor(after) : null;
    const rows = await ctx.loaders.history.load({ id: ci.id, limit: size + 1, before, mergedFrom: ci.mergedFrom });
    const mayRead = can(ctx.principal, Permission.READ_SENSITIVE);
    return toChangePage(rows.map((r) => toChangeView(ctx.catalog, r, ci.class, mayRead)), size, before !== null);
  }

  @FieldResolver(() => GraphQLJSONObject, { description: 'Class attributes by name, typed as the catalog declares them; sensitive ones only for roles that may read them.' })
  attributes(@Root() ci: CiRecord, @Ctx() ctx: RequestContext): Record<string, unknown> {
    if (can(ctx.principal, Permission.READ_SENSITIVE)) return ci.attributes;
    return withoutSensitive(ci.attributes, sensitiveAttributes(ctx.catalog, ci.class));
  }

  @FieldResolver(() => [AttributeProvenanceType], { description: 'Provenance of each value set by a source.' })
  provenance(@Root() ci: CiRecord): AttributeProvenanceType[] {
    return Object.entries(ci.provenance).map(([field, p]) => ({ field, ...p })).sort((a, b) => a.field.localeCompare(b.field));
  }

  @Allow(Permission.EDIT)
  @Mutation(() => CiType, { description: 'Creates a CI (source: manual) after validating it against the catalog.' })
  createCi(@Arg('input', () => CreateCiInput) input: CreateCiInput, @Ctx() ctx: RequestContext): Promise<CiRecord> {
    return ctx.cis.create(input);
  }

  @Allow(Permission.ITSM_WRITE)
  @Mutation(() => CiType, { description: 'Changes the given fields and attributes of a CI.' })
  updateCi(@Arg('id', () => ID) id: string, @Arg('input', () => UpdateCiInput) input: UpdateCiInput, @Ctx() ctx: RequestContext): Promise<CiRecord> {
    assertMayUpdateFields(ctx.principal, input);
    return ctx.cis.update(id, input);
  }

  @Allow(Permission.EDIT)
  @Mutation(() => DeleteCiResultType, { description: 'Deletes a CI with all its relationships.' })
  deleteCi(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return ctx.cis.delete(id);
  }

  @Allow(Permission.EDIT)
  @Mutation(() => RelationshipType, { description: 'Links two CIs; the type must allow their classes. Idempotent.' })
  async relate(@Arg('input', () => RelateInput) input: RelateInput, @Ctx() ctx: RequestContext): Promise<RelationshipType> {
    const edge = await ctx.cis.relate(input.from, input.to, input.type);
    return { ...edge, inverseName: ctx.catalog.getRelationshipType(edge.type)!.inverseName };
  }

  @Allow(Permission.EDIT)
  @Mutation(() => Boolean, { description: 'Removes an edge; false when it did not exist.' })
  unrelate(@Arg('input', () => RelateInput) input: RelateInput, @Ctx() ctx: RequestContext): Promise<boolean> {
    return ctx.cis.unrelate(input.from, input.to, input.type);
  }
}
