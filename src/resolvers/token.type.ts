import { Field, GraphQLISODateTime, ID, InputType } from 'type-graphql';
import { ObjectType } from './object-type';

@ObjectType('ApiToken', { description: 'An API token; its secret is shown once, at creation, and stored only as a hash.' })
export class ApiTokenType {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'viewer, itsm, discovery, editor or admin.' }) role!: string;
  @Field(() => String, { nullable: true, description: 'The only source a discovery token may report as.' }) source!: string | null;
  @Field(() => String) createdAt!: string;
  @Field(() => String, { description: 'The principal that created it.' }) createdBy!: string;
  @Field(() => String, { nullable: true }) expiresAt!: string | null;
  @Field(() => String, { nullable: true, description: 'Updated at most once a minute.' }) lastUsedAt!: string | null;
  @Field(() => String, { nullable: true }) revokedAt!: string | null;
}

@ObjectType('CreatedApiToken')
export class CreatedApiTokenType {
  @Field(() => String, { description: 'The secret (cmdb_...): shown only in this answer. Send it as Authorization: Bearer <token>.' }) token!: string;
  @Field(() => ApiTokenType) apiToken!: ApiTokenType;
}

@InputType('CreateApiTokenInput')
export class CreateApiTokenInput {
  @Field(() => String, { description: 'Unique among active tokens, e.g. "nmap-scanner-fra1" or "servicenow-prod".' }) name!: string;
  @Field(() => String, { description: 'viewer, itsm, discovery, editor or admin.' }) role!: string;
  @Field(() => String, { nullable: true, description: 'Required for discovery tokens: the registered source it reports as.' }) source?: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'After this the token stops working.' }) expiresAt?: Date | null;
}

@ObjectType('Principal', { description: 'Who the current request runs as.' })
export class PrincipalType {
  @Field(() => String, { description: 'token:<name>, jwt:<subject> or anonymous; recorded as the actor of manual changes.' }) name!: string;
  @Field(() => String) kind!: string;
  @Field(() => String) role!: string;
  @Field(() => String, { nullable: true }) source!: string | null;
  @Field(() => [String], { description: 'What this role may do.' }) permissions!: string[];
}
