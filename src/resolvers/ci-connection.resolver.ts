import { FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { CiPage } from '../services/ci.service';
import { CiConnectionType } from './ci-connection.type';

@Resolver(() => CiConnectionType)
export class CiConnectionResolver {
  @FieldResolver(() => Int)
  totalCount(@Root() page: CiPage): Promise<number> {
    return page.totalCount();
  }
}
