/**
 * Queries run compiled (graphql-jit) must answer exactly what graphql-js answers: the same data, the same errors with
 * codes, locations and paths, the same HTTP status, for reads, variables with defaults, refusals and failures. Two apps
 * on one graph, one compiling and one interpreting, are asked the same requests.
 */
import { HttpApp, listenApp, useHttpApp } from '../support/http-app';
import { TestGraph } from '../support/graph';

let compiled: HttpApp;
let interpreted: HttpApp;
let graph: TestGraph;
useHttpApp((g, h) => ((graph = g), (compiled = h)));

const ids: Record<string, string> = {};

beforeAll(async () => {
  interpreted = await listenApp(graph, { compiledQueries: false });
  const create = async (key: string, cls: string, attributes: Record<string, unknown> = {}) =>
    (ids[key] = (await compiled.ok('mutation($i: CreateCiInput!) { createCi(input: $i) { id } }', { i: { class: cls, name: key, owner: 'team-shop', attributes } })).createCi.id);
  await create('shop', 'BusinessService');
  await create('shop-app', 'Application');
  await create('orders-db', 'Database', { engine: 'PostgreSQL', sizeGb: 10 });
  await create('pg-1', 'DatabaseInstance', { engine: 'PostgreSQL', connectionString: 'postgres://app:secret@pg-1/orders' });
  await create('pg-host', 'LinuxServer', { hostname: 'pg-host', domain: 'lab.test' });
  const relate = (from: string, type: string, to: string) => compiled.ok('mutation($i: RelateInput!) { relate(input: $i) { created } }', { i: { from: ids[from], to: ids[to], type } });
  await relate('shop', 'DEPENDS_ON', 'shop-app');
  await relate('shop-app', 'DEPENDS_ON', 'orders-db');
  await relate('orders-db', 'HOSTED_ON', 'pg-1');
  await relate('pg-1', 'RUNS_ON', 'pg-host');
  await compiled.ok('mutation($id: ID!) { updateCi(id: $id, input: { attributes: { sizeGb: 20 } }) { id } }', { id: ids['orders-db'] });
});

afterAll(async () => {
  await interpreted?.stop();
});

/** Both apps' answers to one request, with one token of the given role (they share the graph, tokens included). */
async function both(role: string, query: string, variables: Record<string, unknown> = {}) {
  const token = await compiled.token(role);
  return Promise.all([compiled.post(query, variables, { token }), interpreted.post(query, variables, { token })]);
}

const REQUESTS: { name: string; role: string; query: string; variables?: () => Record<string, unknown> }[] = [
  {
    name: 'a page of CIs with relationships, neighbours and the count, variables with defaults',
    role: 'viewer',
    query: `query($first: Int! = 10, $dir: RelationshipDirection! = BOTH) {
      cis(first: $first) { totalCount edges { cursor node { id name class owner relationships(direction: $dir) { type direction label inverseName createdAt sources ci { name class } } } } pageInfo { hasNextPage endCursor } } }`,
  },
  {
    name: 'one CI with attributes, provenance and history (a secret redacted for a viewer)',
    role: 'viewer',
    query: `query($id: ID!) { ci(id: $id) { name attributes provenance { field source } history(first: 5) { edges { node { kind field oldValue newValue redacted } } } } }`,
    variables: () => ({ id: ids['pg-1'] }),
  },
  {
    name: 'the same CI for an admin, who reads the secret',
    role: 'admin',
    query: `query($id: ID!) { ci(id: $id) { name attributes } }`,
    variables: () => ({ id: ids['pg-1'] }),
  },
  {
    name: 'impact with severity, services, contacts and explaining paths, through a fragment',
    role: 'viewer',
    query: `query($i: ImpactInput!) { impact(input: $i) { truncated failed { name } affected { ...a paths { from { name } type forward to { name } } } services { ...a } countsByClass { class count down } notify { contact role cis services } } }
      fragment a on AffectedCi { ci { name class owner } severity depth }`,
    variables: () => ({ i: { ciIds: [ids['pg-host']] } }),
  },
  {
    name: 'NOT_FOUND with its path',
    role: 'viewer',
    query: `{ ok: cis(first: 1) { edges { node { name } } } missing: ci(id: "no-such-ci") { name } }`,
  },
  {
    name: 'BAD_USER_INPUT naming the field',
    role: 'viewer',
    query: `{ cis(first: 100000) { edges { node { name } } } }`,
  },
  {
    name: 'a variable of the wrong type',
    role: 'viewer',
    query: `query($first: Int!) { cis(first: $first) { totalCount } }`,
    variables: () => ({ first: 'ten' }),
  },
  {
    name: 'a required variable not given',
    role: 'viewer',
    query: `query($id: ID!) { ci(id: $id) { name } }`,
  },
  {
    name: 'a refusal: a viewer may not list API tokens',
    role: 'viewer',
    query: `{ apiTokens { name } }`,
  },
];

describe('compiled queries answer as graphql-js does', () => {
  it.each(REQUESTS.map((r) => [r.name, r] as const))('%s', async (_name, r) => {
    const [a, b] = await both(r.role, r.query, r.variables?.() ?? {});
    expect(a.status).toBe(b.status);
    expect(a.body).toEqual(b.body);
    // Not vacuous: each request has an answer worth comparing.
    expect(a.body.data ?? a.body.errors).toBeTruthy();
  });

  it('ran the queries compiled, each document compiled once however often it is asked', async () => {
    const before = compiled.app.compiledQueries!.compiled;
    const query = `query($first: Int!) { cis(first: $first) { edges { node { name } } } }`;
    for (const first of [1, 2, 3]) expect((await compiled.ok(query, { first })).cis.edges).toHaveLength(first);
    expect(compiled.app.compiledQueries!.compiled).toBe(before + 1);
    expect(interpreted.app.compiledQueries).toBeNull();
  });

  it('answers the things that matter in the comparison: real CIs, severity, redaction, refusals', async () => {
    const [impact] = await both('viewer', REQUESTS[3].query, REQUESTS[3].variables!());
    expect(impact.body.data.impact.services).toEqual([{ ci: { name: 'shop', class: 'BusinessService', owner: 'team-shop' }, severity: 'DOWN', depth: 4 }]);
    const [viewer] = await both('viewer', REQUESTS[1].query, REQUESTS[1].variables!());
    expect(viewer.body.data.ci.attributes.connectionString).toBeUndefined();
    const [admin] = await both('admin', REQUESTS[2].query, REQUESTS[2].variables!());
    expect(admin.body.data.ci.attributes.connectionString).toBe('postgres://app:secret@pg-1/orders');
    const [refused] = await both('viewer', REQUESTS[8].query);
    expect(refused.body.errors.map((e: any) => e.extensions.code)).toEqual(['FORBIDDEN']);
    const [wrongType] = await both('viewer', REQUESTS[6].query, REQUESTS[6].variables!());
    expect(wrongType).toEqual({ status: 400, body: { errors: [{ message: 'Variable "$first" got invalid value "ten"; Int cannot represent non-integer value: "ten"', locations: [{ line: 1, column: 7 }], extensions: { code: 'BAD_USER_INPUT' } }] } });
    const [notFound] = await both('viewer', REQUESTS[4].query);
    expect(notFound.body.errors).toEqual([{ message: "no CI with id 'no-such-ci'", locations: [{ line: 1, column: 49 }], path: ['missing'], extensions: { code: 'NOT_FOUND', field: 'id' } }]);
    expect(notFound.body.data).toBeNull(); // ci is non-null: its error nulls the whole answer, in both
  });
});
