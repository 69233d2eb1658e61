import { Field, ID, InputType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';

@InputType('CiRef', {
  description: 'A CI as the caller knows it: exactly one of `id`, `name` (exact; with `class` to narrow) or `identifiers` '
    + '(e.g. { hostname: "web-01", domain: "corp" }, { serialNumber: "..." }, { address: "10.0.0.5" }), matched through the '
    + "model's identification rules like reconcile. A reference that fits several CIs is an error listing them.",
})
export class CiRefInput {
  @Field(() => ID, { nullable: true }) id?: string | null;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true, description: 'With name or identifiers: only this class and its subclasses.' }) class?: string | null;
  @Field(() => GraphQLJSONObject, { nullable: true }) identifiers?: Record<string, unknown> | null;
}
