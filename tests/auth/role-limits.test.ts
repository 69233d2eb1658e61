import { TestGraph } from '../support/graph';
import { HttpApp, listenApp, useHttpApp } from '../support/http-app';

let graph: TestGraph;
let http: HttpApp;
let dbId: string;

useHttpApp((g, h) => ([graph, http] = [g, h]));

beforeAll(async () => {
  const { body } = await http.post('mutation { createCi(input: { class: "DatabaseInstance", name: "pg-main", attributes: { engine: "PostgreSQL", port: 5432, connectionString: "postgres://app:s3cret@pg-main/app" } }) { id } }');
  dbId = body.data.createCi.id;
  await http.post('mutation($id: ID!) { updateCi(id: $id, input: { attributes: { connectionString: "postgres://app:n3w@pg-main/app" } }) { id } }', { id: dbId });
});

const read = 'query($id: ID!) { ci(id: $id) { attributes history(first: 10) { edges { node { field oldValue newValue redacted } } } } }';

it('a viewer gets neither sensitive attributes nor their values in history; itsm gets both', async () => {
  const viewer = (await http.post(read, { id: dbId }, { token: await http.token('viewer') })).body.data.ci;
  expect(viewer.attributes).toEqual({ engine: 'PostgreSQL', port: 5432 });
  const change = viewer.history.edges.map((e: any) => e.node).find((n: any) => n.field === 'connectionString');
  expect(change).toEqual({ field: 'connectionString', oldValue: null, newValue: null, redacted: true });
  expect(JSON.stringify(viewer)).not.toMatch(/s3cret|n3w/);

  const itsm = (await http.post(read, { id: dbId }, { token: await http.token('itsm') })).body.data.ci;
  expect(itsm.attributes.connectionString).toBe('postgres://app:n3w@pg-main/app');
  expect(itsm.history.edges.map((e: any) => e.node).find((n: any) => n.field === 'connectionString')).toEqual({
    field: 'connectionString', oldValue: 'postgres://app:s3cret@pg-main/app', newValue: 'postgres://app:n3w@pg-main/app', redacted: false,
  });
});

it('itsm may change lifecycle, owner and support group, nothing else, and history names it as the actor', async () => {
  const itsm = await http.token('itsm');
  const ok = await http.post('mutation($id: ID!) { updateCi(id: $id, input: { lifecycleStatus: IN_MAINTENANCE, owner: "dba-team" }) { lifecycleStatus owner } }', { id: dbId }, { token: itsm });
  expect(ok.body.data.updateCi).toEqual({ lifecycleStatus: 'IN_MAINTENANCE', owner: 'dba-team' });
  const refused = await http.post('mutation($id: ID!) { updateCi(id: $id, input: { owner: "x", attributes: { port: 1 } }) { owner } }', { id: dbId }, { token: itsm });
  expect(refused.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', field: 'input.attributes' });
  expect(refused.body.errors[0].message).toMatch(/may change only lifecycleStatus, owner, supportGroup; not attributes/);
  const after = (await http.post('query($id: ID!) { ci(id: $id) { owner attributes history(first: 20) { edges { node { field actor } } } } }', { id: dbId })).body.data.ci;
  expect(after.owner).toBe('dba-team');
  expect(after.attributes.port).toBe(5432);
  const actors = after.history.edges.map((e: any) => e.node).filter((n: any) => n.field === 'owner').map((n: any) => n.actor);
  expect(actors).toEqual([expect.stringMatching(/^token:test-itsm-/)]);
});

it('anonymous access is off by default and read-only when allowed', async () => {
  const closed = await http.post('{ cis(first: 1) { totalCount } }', {}, { token: null });
  expect(closed.status).toBe(401);
  const open = await listenApp(graph, { anonymousRole: 'viewer' });
  try {
    const readOk = await open.post('{ whoami { name role } cis(first: 1) { totalCount } }', {}, { token: null });
    expect(readOk.body.data.whoami).toEqual({ name: 'anonymous', role: 'viewer' });
    const write = await open.post('mutation { createCi(input: { class: "Application", name: "anon" }) { id } }', {}, { token: null });
    expect(write.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await graph.client.read("MATCH (c:CI {name: 'anon'}) RETURN count(c) AS n")).records[0].get('n')).toBe(0);
  } finally {
    await open.stop();
  }
});
