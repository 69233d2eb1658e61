import { Arg, Ctx, ID, Mutation, Query, Resolver, UseMiddleware } from 'type-graphql';
import { Allow } from '../auth/allow';
import { Permission, ROLE_PERMISSIONS } from '../auth/permissions';
import { MapDomainErrors } from './errors';
import { RequestContext } from './context';
import { ApiTokenType, CreateApiTokenInput, CreatedApiTokenType, PrincipalType } from './token.type';

@UseMiddleware(MapDomainErrors)
@Resolver()
export class TokenResolver {
  @Allow(Permission.READ)
  @Query(() => PrincipalType, { description: 'The principal this request runs as, and its permissions.' })
  whoami(@Ctx() { principal }: RequestContext): PrincipalType {
    return { name: principal.name, kind: principal.kind, role: principal.role, source: principal.source, permissions: [...ROLE_PERMISSIONS[principal.role]] };
  }

  @Allow(Permission.ADMIN)
  @Query(() => [ApiTokenType], { description: 'API tokens (never their secrets), oldest first.' })
  apiTokens(@Ctx() ctx: RequestContext, @Arg('includeRevoked', () => Boolean, { defaultValue: false }) includeRevoked: boolean) {
    return ctx.tokens.list(includeRevoked);
  }

  @Allow(Permission.ADMIN)
  @Mutation(() => CreatedApiTokenType, { description: 'Creates an API token; the secret is in this answer only.' })
  async createApiToken(@Arg('input', () => CreateApiTokenInput) input: CreateApiTokenInput, @Ctx() ctx: RequestContext): Promise<CreatedApiTokenType> {
    const { token, record } = await ctx.tokens.create({ ...input, expiresAt: input.expiresAt?.toISOString() ?? null }, ctx.principal.name);
    return { token, apiToken: record };
  }

  @Allow(Permission.ADMIN)
  @Mutation(() => ApiTokenType, { description: 'Revokes an API token; it stops working at once.' })
  revokeApiToken(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return ctx.tokens.revoke(id);
  }
}
