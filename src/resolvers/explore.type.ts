import { Field, ID, Int } from 'type-graphql';
import { ObjectType } from './object-type';
import { CiType } from './ci.type';

@ObjectType('CiAtDepth')
export class CiAtDepthType {
  @Field(() => CiType) ci!: CiType;
  @Field(() => Int) depth!: number;
}

@ObjectType('GraphEdge')
export class GraphEdgeType {
  @Field(() => ID) from!: string;
  @Field(() => ID) to!: string;
  @Field(() => String) type!: string;
}

@ObjectType('Neighborhood', { description: 'A subgraph around a CI, for visualising.' })
export class NeighborhoodType {
  @Field(() => CiType) center!: CiType;
  @Field(() => [CiAtDepthType], { description: 'Nearest first.' }) nodes!: CiAtDepthType[];
  @Field(() => [GraphEdgeType], { description: 'Every edge among the center and the nodes, as stored (from source to target).' }) edges!: GraphEdgeType[];
  @Field(() => Boolean, { description: 'True when the limit cut the node list.' }) truncated!: boolean;
}

@ObjectType('PathEdge')
export class PathEdgeType {
  @Field(() => CiType) from!: CiType;
  @Field(() => String) type!: string;
  @Field(() => Boolean, { description: 'True when the stored edge points from `from` to `to`.' }) forward!: boolean;
  @Field(() => CiType) to!: CiType;
}

@ObjectType('CiPath')
export class CiPathType {
  @Field(() => Int) length!: number;
  @Field(() => [PathEdgeType]) steps!: PathEdgeType[];
}
