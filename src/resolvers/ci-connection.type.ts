import { Field, Int } from 'type-graphql';
import { ObjectType } from './object-type';
import { CiType } from './ci.type';

@ObjectType('PageInfo')
export class PageInfoType {
  @Field()
  hasNextPage!: boolean;

  @Field()
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

@ObjectType('CiEdge')
export class CiEdgeType {
  @Field()
  cursor!: string;

  @Field(() => CiType)
  node!: CiType;
}

@ObjectType('CiConnection', { description: 'A page of CIs ordered by name, then id.' })
export class CiConnectionType {
  @Field(() => [CiEdgeType])
  edges!: CiEdgeType[];

  @Field(() => PageInfoType)
  pageInfo!: PageInfoType;

  @Field(() => Int, { description: 'CIs matching the filter across all pages (one extra query when asked).' })
  totalCount!: number;
}
