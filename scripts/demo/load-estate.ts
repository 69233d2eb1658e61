/**
 * Loads an estate through the public GraphQL API: createCi for every CI, then relate for every edge, several aliased
 * mutations per HTTP request. Refs are resolved to the ids the API returns. The first GraphQL error aborts the load
 * with its message and the ref of the item that caused it.
 */
import type { Estate, EstateCi, EstateRelationship } from './estate-kit';
import { ESTATE_MARKER } from './estate';
import { confirmByDiscovery, DiscoveryPassResult } from './discovery-pass';
import { Api, describeErrors, EstateLoadError, post } from './api-client';

export { EstateLoadError } from './api-client';

export interface LoadOptions {
  /** The GraphQL endpoint, e.g. http://localhost:4000/graphql. */
  url: string;
  /** Bearer token (an admin or editor token: the load creates CIs and registers a source). */
  token?: string | null;
  /** Mutations per request (default 15: the API's default alias limit). */
  batchSize?: number;
  /** Called after each request with the phase and how many items of it are done. */
  onProgress?: (phase: 'cis' | 'relationships', done: number, total: number) => void;
}

export interface LoadResult {
  /** True when the estate was found and nothing was loaded. */
  alreadyLoaded: boolean;
  cis: number;
  relationships: number;
  /** Relationships the API reported as new (equals `relationships` on a fresh load). */
  relationshipsCreated: number;
  cisByClass: Record<string, number>;
  relationshipsByType: Record<string, number>;
  /** What the demo's discovery source found when it confirmed the virtual estate (null when already loaded). */
  discovery: DiscoveryPassResult | null;
  ms: number;
}

/** Whether a GraphQL API answers at `url` (a `{ __typename }` query within the timeout). */
export async function apiAnswers(url: string, timeoutMs = 3000): Promise<boolean> {
  try {
    const body = await post<{ __typename: string }>({ url, token: null }, '{ __typename }', {}, timeoutMs);
    return body.data?.__typename === 'Query' || body.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED';
  } catch {
    return false;
  }
}

/**
 * Who the token is on the CMDB at `api.url`. Anything else answering GraphQL there (another service on the port)
 * is an error saying so, rather than a load into the wrong place.
 */
export async function identifyCmdb(api: Api): Promise<{ name: string; role: string }> {
  const body = await post<{ whoami: { name: string; role: string } }>(api, 'query DemoWhoami { whoami { name role } }');
  if (body.errors?.[0]?.extensions?.code === 'GRAPHQL_VALIDATION_FAILED') {
    throw new EstateLoadError(`the GraphQL API at ${api.url} is not this CMDB (it has no whoami); set CMDB_API_URL or PORT to the CMDB's`);
  }
  if (body.errors?.length || !body.data) throw new EstateLoadError(`the CMDB at ${api.url} refused the token: ${describeErrors(body.errors)}`);
  return body.data.whoami;
}

/** Whether the estate's marker CI (the Online Shop business service) exists. */
export async function isEstateLoaded(api: Api): Promise<boolean> {
  const body = await post<{ cis: { totalCount: number } }>(
    api,
    'query DemoEstateLoaded($filter: CiFilter) { cis(filter: $filter, first: 1) { totalCount } }',
    { filter: ESTATE_MARKER },
  );
  if (body.errors?.length || !body.data) throw new EstateLoadError(`checking for the demo estate failed: ${describeErrors(body.errors)}`);
  return body.data.cis.totalCount > 0;
}


function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Sends one request of aliased mutations `m0..mN` of `field(input: $vN)`. Returns the data per alias, or throws the
 * first error with the ref of the item it belongs to.
 */
async function runBatch<T>(
  api: Api,
  field: 'createCi' | 'relate',
  inputType: string,
  selection: string,
  items: { ref: string; input: Record<string, unknown> }[],
): Promise<T[]> {
  const params = items.map((_, i) => `$v${i}: ${inputType}!`).join(', ');
  const fields = items.map((_, i) => `m${i}: ${field}(input: $v${i}) ${selection}`).join('\n  ');
  const variables = Object.fromEntries(items.map((item, i) => [`v${i}`, item.input]));
  const body = await post<Record<string, T>>(api, `mutation DemoEstate(${params}) {\n  ${fields}\n}`, variables);
  if (body.errors?.length) {
    const err = body.errors.find((e) => typeof e.path?.[0] === 'string' && /^m\d+$/.test(e.path[0] as string)) ?? body.errors[0];
    const alias = err.path?.[0];
    const item = typeof alias === 'string' ? items[Number(alias.slice(1))] : undefined;
    const where = item ? ` (${field} for ${item.ref})` : ` (${field} request starting at ${items[0].ref})`;
    throw new EstateLoadError(`${describeErrors([err])}${where}`, item?.ref);
  }
  if (!body.data) throw new EstateLoadError(`${field} request starting at ${items[0].ref} returned no data`, items[0].ref);
  return items.map((_, i) => body.data![`m${i}`]);
}

function createInput(ci: EstateCi): Record<string, unknown> {
  const { ref: _ref, ...input } = ci;
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
}

function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}

/** Loads `estate` through the API at `opts.url` unless its marker CI is already there. */
export async function loadEstate(estate: Estate, opts: LoadOptions): Promise<LoadResult> {
  const started = Date.now();
  const batchSize = opts.batchSize ?? 15;
  const progress = opts.onProgress ?? (() => undefined);
  const result = (alreadyLoaded: boolean, relationshipsCreated: number, discovery: DiscoveryPassResult | null = null): LoadResult => ({
    alreadyLoaded,
    cis: alreadyLoaded ? 0 : estate.cis.length,
    relationships: alreadyLoaded ? 0 : estate.relationships.length,
    relationshipsCreated,
    cisByClass: alreadyLoaded ? {} : countBy(estate.cis, (c) => c.class),
    relationshipsByType: alreadyLoaded ? {} : countBy(estate.relationships, (r) => r.type),
    discovery,
    ms: Date.now() - started,
  });
  const api: Api = { url: opts.url, token: opts.token ?? null };
  await identifyCmdb(api);
  if (await isEstateLoaded(api)) return result(true, 0);

  // The marker goes last, so an interrupted load is not mistaken for a complete one by the next run.
  const isMarker = (c: EstateCi) => c.class === ESTATE_MARKER.class && c.name.includes(ESTATE_MARKER.nameContains);
  const cis = [...estate.cis.filter((c) => !isMarker(c)), ...estate.cis.filter(isMarker)];
  const ids = new Map<string, string>();
  let done = 0;
  for (const batch of chunks(cis, batchSize)) {
    const items = batch.map((ci) => ({ ref: ci.ref, input: createInput(ci) }));
    const created = await runBatch<{ id: string }>(api, 'createCi', 'CreateCiInput', '{ id }', items);
    batch.forEach((ci, i) => ids.set(ci.ref, created[i].id));
    progress('cis', (done += batch.length), cis.length);
  }

  const idOf = (rel: EstateRelationship, end: 'from' | 'to'): string => {
    const id = ids.get(rel[end]);
    if (!id) throw new EstateLoadError(`relationship ${rel.from} -[${rel.type}]-> ${rel.to}: no CI with ref '${rel[end]}'`, rel[end]);
    return id;
  };
  let createdCount = 0;
  done = 0;
  for (const batch of chunks(estate.relationships, batchSize)) {
    const items = batch.map((rel) => ({ ref: `${rel.from} -[${rel.type}]-> ${rel.to}`, input: { from: idOf(rel, 'from'), to: idOf(rel, 'to'), type: rel.type } }));
    const related = await runBatch<{ created: boolean }>(api, 'relate', 'RelateInput', '{ created }', items);
    createdCount += related.filter((r) => r.created).length;
    progress('relationships', (done += batch.length), estate.relationships.length);
  }

  // Where the estate is redundant (dual-homed hosts, replicated databases, pools, the cluster's nodes).
  for (const batch of chunks(estate.redundancy, batchSize)) {
    const params = batch.map((_, i) => `$c${i}: ID!, $t${i}: String!, $q${i}: Int!`).join(', ');
    const fields = batch.map((_, i) => `p${i}: setRedundancy(ciId: $c${i}, type: $t${i}, quorum: $q${i}) { quorum }`).join('\n  ');
    const variables = Object.fromEntries(batch.flatMap((r, i) => [[`c${i}`, ids.get(r.ref)], [`t${i}`, r.type], [`q${i}`, r.quorum]]));
    const body = await post(api, `mutation DemoRedundancy(${params}) {\n  ${fields}\n}`, variables);
    if (body.errors?.length) throw new EstateLoadError(`setRedundancy: ${describeErrors(body.errors)}`, undefined);
  }
  return result(false, createdCount, await confirmByDiscovery(api, estate));
}
