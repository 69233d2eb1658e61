import 'reflect-metadata';
import { ApolloServer } from '@apollo/server';
import { GraphQLFormattedError } from 'graphql';
import { buildCmdbSchema } from '../../src/resolvers/schema';
import { createRequestContext, RequestContext, RequestContextOptions } from '../../src/resolvers/context';
import { createErrorFormatter } from '../../src/server/format-error';
import { TestGraph } from './graph';

export interface ApiResult<T = any> {
  data: T | null;
  errors: readonly GraphQLFormattedError[] | undefined;
  /** Cypher round trips this request made. */
  queries: number;
  queryLog: string[];
}

/** Runs GraphQL operations in-process through the real schema, context and error formatting. */
export class TestApi {
  private constructor(private readonly server: ApolloServer<RequestContext>, private readonly graph: TestGraph) {}

  static async create(graph: TestGraph): Promise<TestApi> {
    const server = new ApolloServer<RequestContext>({
      schema: await buildCmdbSchema(),
      formatError: createErrorFormatter(false, (msg, err) => { if (process.env.CMDB_TEST_DEBUG) console.error(msg, err); }),
    });
    await server.start();
    return new TestApi(server, graph);
  }

  /** `context`: what the app shares between requests (its gates, bus, health reports), where a test needs it. */
  async run<T = any>(query: string, variables: Record<string, unknown> = {}, context: RequestContextOptions = {}): Promise<ApiResult<T>> {
    const contextValue = createRequestContext(this.graph.client, this.graph.catalog, context);
    const response = await this.server.executeOperation({ query, variables }, { contextValue });
    if (response.body.kind !== 'single') throw new Error('unexpected incremental response');
    const { data, errors } = response.body.singleResult;
    return { data: (data ?? null) as T | null, errors, queries: contextValue.client.stats.queries, queryLog: contextValue.client.stats.log };
  }

  /** Runs and fails the test on any GraphQL error. */
  async ok<T = any>(query: string, variables: Record<string, unknown> = {}, context: RequestContextOptions = {}): Promise<T> {
    const result = await this.run<T>(query, variables, context);
    if (result.errors?.length) throw new Error(`unexpected GraphQL errors: ${JSON.stringify(result.errors, null, 2)}`);
    return result.data as T;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }
}
