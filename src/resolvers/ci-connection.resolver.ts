import { FieldResolver, Int, Resolver, Root, UseMiddleware } from 'type-graphql';
import { MapDomainErrors } from './errors';
import { CiPage } from '../services/ci.service';
import { CiConnectionType } from './ci-connection.type';

@UseMiddleware(MapDomainErrors)
@Resolver(() => CiConnectionType)
export class CiConnectionResolver {
  @FieldResolver(() => Int)
  totalCount(@Root() page: CiPage): Promise<number> {
    return page.totalCount();
  }
}
