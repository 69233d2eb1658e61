import { Catalog } from '../model/catalog';
import { FieldError, InputError, NotFoundError } from '../model/field-error';
import { didYouMean } from '../model/suggest';
import { Neo4jClient } from '../graph/client';
import { FoundPath, neighborhoodOf, shortestPaths, Subgraph } from '../graph/explore.queries';

export const MAX_EXPLORE_DEPTH = 6;
export const MAX_NEIGHBORHOOD = 2000;

/** Subgraphs for visualising and path finding; validated here, Cypher in graph/explore.queries. */
export class ExploreService {
  constructor(private readonly client: Neo4jClient, private readonly catalog: Catalog) {}

  private check(depth: number, types: string[] | null | undefined, limit: number, maxLimit: number): string[] | null {
    const errors: FieldError[] = [];
    if (!Number.isInteger(depth) || depth < 1 || depth > MAX_EXPLORE_DEPTH) errors.push({ field: 'depth', reason: `must be between 1 and ${MAX_EXPLORE_DEPTH}, got ${depth}` });
    if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) errors.push({ field: 'limit', reason: `must be between 1 and ${maxLimit}, got ${limit}` });
    for (const t of types ?? []) {
      if (!this.catalog.getRelationshipType(t)) errors.push({ field: 'types', reason: `relationship type '${t}' is not in the catalog${didYouMean(t, this.catalog.relationshipTypes.keys())}` });
    }
    if (errors.length) throw new InputError(errors);
    return types?.length ? types : null;
  }

  async neighborhood(ciId: string, depth: number, types: string[] | null | undefined, limit: number, asOf: Date | null = null): Promise<Subgraph> {
    const checked = this.check(depth, types, limit, MAX_NEIGHBORHOOD);
    const at = asOf ? asOf.toISOString() : null;
    const found = await neighborhoodOf(this.client, this.catalog, ciId, depth, checked, limit, at);
    if (!found) throw new NotFoundError('ciId', `no CI with id '${ciId}'`);
    if (at && found.center.createdAt > at) throw new NotFoundError('asOf', `the CI '${found.center.name}' did not exist at ${at} (created ${found.center.createdAt})`);
    return found;
  }

  async paths(fromId: string, toId: string, maxDepth: number, types: string[] | null | undefined, limit: number): Promise<FoundPath[]> {
    const checked = this.check(maxDepth, types, limit, 100);
    if (fromId === toId) throw new InputError([{ field: 'toId', reason: 'must differ from fromId' }]);
    const exists = await this.client.read('UNWIND $ids AS id MATCH (c:CI {id: id}) RETURN collect(c.id) AS found', { ids: [fromId, toId] });
    const found = exists.records[0].get('found') as string[];
    for (const [field, id] of [['fromId', fromId], ['toId', toId]] as const) if (!found.includes(id)) throw new NotFoundError(field, `no CI with id '${id}'`);
    return shortestPaths(this.client, this.catalog, fromId, toId, maxDepth, checked, limit);
  }
}
