/**
 * "What changed around this CI?": the change feed upstream or downstream of CIs named as the caller knows them,
 * the estate-wide feed, impact answers with their recent changes, and history naming the other end of an edge.
 */
import { HttpApp, useHttpApp } from '../support/http-app';

let http: HttpApp;
useHttpApp((_g, h) => (http = h));

const ids: Record<string, string> = {};
let before: string; // a moment between the early and the late changes
const gql = (query: string, variables: Record<string, unknown> = {}, token?: string) => http.ok(query, variables, token);
const tick = () => new Promise((r) => setTimeout(r, 15));

beforeAll(async () => {
  const create = async (key: string, cls: string, attributes: Record<string, unknown> = {}) =>
    (ids[key] = (await gql('mutation($i: CreateCiInput!) { createCi(input: $i) { id } }', { i: { class: cls, name: key, attributes } })).createCi.id);
  await create('shop-app', 'Application');
  await create('orders-db', 'Database', { engine: 'PostgreSQL' });
  await create('pg-1', 'DatabaseInstance', { engine: 'PostgreSQL', connectionString: 'postgres://app:old@pg-1/orders' });
  await create('pg-host', 'LinuxServer', { hostname: 'pg-host', domain: 'lab.test' });
  await create('other-app', 'Application');
  const relate = (from: string, type: string, to: string) => gql('mutation($i: RelateInput!) { relate(input: $i) { created } }', { i: { from: ids[from], to: ids[to], type } });
  await relate('shop-app', 'DEPENDS_ON', 'orders-db');
  await relate('orders-db', 'HOSTED_ON', 'pg-1');
  await relate('pg-1', 'RUNS_ON', 'pg-host');
  const update = (key: string, attributes: Record<string, unknown>) => gql('mutation($id: ID!, $a: JSONObject) { updateCi(id: $id, input: { attributes: $a }) { id } }', { id: ids[key], a: attributes });
  await update('orders-db', { sizeGb: 10 });
  await tick();
  before = new Date().toISOString();
  await tick();
  await update('orders-db', { sizeGb: 20 });
  await update('pg-1', { connectionString: 'postgres://app:new@pg-1/orders' });
  await update('other-app', { version: '2.0' });
});

const FEED = `query($refs: [CiRef!], $since: DateTimeISO, $dir: ImpactDirection! = UPSTREAM, $classes: [String!], $kinds: [ChangeKind!], $first: Int! = 50, $after: String) {
  changes(ciRefs: $refs, since: $since, direction: $dir, classes: $classes, kinds: $kinds, first: $first, after: $after) {
    edges { cursor node { kind field oldValue newValue redacted depth ci { name class } } }
    pageInfo { hasNextPage endCursor }
  } }`;
const nodes = (data: any) => data.changes.edges.map((e: any) => e.node);

it('upstream of an application: the database change made after a moment, newest first, not the one before nor elsewhere', async () => {
  const feed = nodes(await gql(FEED, { refs: [{ name: 'shop-app' }], since: before }));
  expect(feed).toEqual([
    { kind: 'UPDATED', field: 'connectionString', oldValue: 'postgres://app:old@pg-1/orders', newValue: 'postgres://app:new@pg-1/orders', redacted: false, depth: 2, ci: { name: 'pg-1', class: 'DatabaseInstance' } },
    { kind: 'UPDATED', field: 'sizeGb', oldValue: 10, newValue: 20, redacted: false, depth: 1, ci: { name: 'orders-db', class: 'Database' } },
  ]);
  // A viewer sees that the secret changed, not what it is.
  const viewer = await http.token('viewer');
  const redacted = nodes(await gql(FEED, { refs: [{ name: 'shop-app' }], since: before }, viewer));
  expect(redacted[0]).toMatchObject({ field: 'connectionString', oldValue: null, newValue: null, redacted: true });
});

it('filters by kinds and classes, walks downstream, and without CIs gives the whole estate', async () => {
  const created = nodes(await gql(FEED, { refs: [{ name: 'shop-app' }], kinds: ['CREATED'] }));
  expect(created.map((n: any) => n.ci.name).sort()).toEqual(['orders-db', 'pg-1', 'pg-host', 'shop-app']);
  expect(nodes(await gql(FEED, { refs: [{ name: 'shop-app' }], since: before, classes: ['Database'] })).map((n: any) => n.field)).toEqual(['sizeGb']);
  const down = nodes(await gql(FEED, { refs: [{ class: 'LinuxServer', identifiers: { hostname: 'pg-host', domain: 'lab.test' } }], since: before, dir: 'DOWNSTREAM' }));
  expect(down.map((n: any) => [n.ci.name, n.depth])).toEqual([['pg-1', 1], ['orders-db', 2]]);
  const estate = nodes(await gql(FEED, { since: before }));
  expect(estate.map((n: any) => [n.ci.name, n.depth])).toEqual([['other-app', null], ['pg-1', null], ['orders-db', null]]);
});

it('pages through the feed with each record exactly once', async () => {
  const all = nodes(await gql(FEED, { refs: [{ name: 'shop-app' }] }));
  expect(all.length).toBeGreaterThan(5);
  const seen: unknown[] = [];
  let after: string | null = null;
  for (;;) {
    const data: any = await gql(FEED, { refs: [{ name: 'shop-app' }], first: 2, after });
    seen.push(...nodes(data));
    if (!data.changes.pageInfo.hasNextPage) break;
    after = data.changes.pageInfo.endCursor;
  }
  expect(seen).toEqual(all);
});

it('impact answers carry the recent changes of their CIs', async () => {
  const data = await gql(`query($since: DateTimeISO!) { impact(input: { ciRefs: [{ name: "pg-host" }] }) {
    services { ci { name } } recentChanges(since: $since) { edges { node { field ci { name } } } } } }`, { since: before });
  expect(data.impact.recentChanges.edges.map((e: any) => [e.node.ci.name, e.node.field])).toEqual([['pg-1', 'connectionString'], ['orders-db', 'sizeGb']]);
});

it('history names the CI at the other end of a relationship change', async () => {
  const data = await gql('query($id: ID!) { ci(id: $id) { history { edges { node { kind relationshipType other { name class } } } } } }', { id: ids['shop-app'] });
  expect(data.ci.history.edges.map((e: any) => e.node).filter((n: any) => n.kind === 'RELATIONSHIP_ADDED'))
    .toEqual([{ kind: 'RELATIONSHIP_ADDED', relationshipType: 'DEPENDS_ON', other: { name: 'orders-db', class: 'Database' } }]);
});

it('refuses bad bounds, naming the field', async () => {
  const bad = async (variables: Record<string, unknown>) => (await http.post('query($d: Int!, $s: DateTimeISO, $u: DateTimeISO) { changes(maxDepth: $d, since: $s, until: $u) { edges { cursor } } }', variables)).body.errors[0].extensions;
  expect(await bad({ d: 11 })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'maxDepth' });
  expect(await bad({ d: 2, s: '2026-02-01T00:00:00Z', u: '2026-01-01T00:00:00Z' })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'until' });
  expect((await http.post('{ changes { edges { cursor } } }', {}, { token: null })).status).toBe(401);
});
