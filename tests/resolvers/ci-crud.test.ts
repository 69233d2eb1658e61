import { TestGraph } from '../support/graph';
import { TestApi } from '../support/api';
import { useTestApi } from '../support/suite';

let graph: TestGraph;
let api: TestApi;

useTestApi((g, a) => ([graph, api] = [g, a]), { wipeEach: true });

const CREATE = `mutation($input: CreateCiInput!) { createCi(input: $input) { id name class lifecycleStatus environment owner supportGroup criticality createdAt updatedAt attributes } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateCiInput!) { updateCi(id: $id, input: $input) { id name lifecycleStatus environment owner attributes updatedAt } }`;
const RELATE = `mutation($input: RelateInput!) { relate(input: $input) { type inverseName created from { name } to { name } } }`;

async function create(input: Record<string, unknown>): Promise<{ id: string; [k: string]: unknown }> {
  return (await api.ok(CREATE, { input })).createCi;
}

describe('createCi', () => {
  it('runs identification: a CI whose identifiers match an existing one is CONFLICT naming it, unless allowDuplicate', async () => {
    const first = await create({ class: 'LinuxServer', name: 'web-01', attributes: { hostname: 'web-01', domain: 'corp' } });
    const again = await api.run(CREATE, { input: { class: 'LinuxServer', name: 'web-01 (again)', attributes: { hostname: 'web-01', domain: 'corp', cpuCount: 4 } } });
    expect(again.errors![0].extensions).toMatchObject({
      code: 'CONFLICT', field: 'attributes.hostname', existing: [{ id: first.id, name: 'web-01', class: 'LinuxServer' }],
    });
    expect(again.errors![0].message).toContain('already has hostname="web-01", domain="corp", which identifies a Server');
    // Another subclass of Server with the same hostname and domain is the same asset too; another domain is not.
    expect((await api.run(CREATE, { input: { class: 'WindowsServer', name: 'w', attributes: { hostname: 'web-01', domain: 'corp' } } })).errors![0].extensions!.code).toBe('CONFLICT');
    await create({ class: 'LinuxServer', name: 'web-01.dmz', attributes: { hostname: 'web-01', domain: 'dmz' } });
    expect((await graph.snapshot()).nodes).toEqual([['LinuxServer', 'web-01'], ['LinuxServer', 'web-01.dmz']]);
    // The rare real case is explicit, and then reconcile sees two candidates rather than guessing.
    const twin = await create({ class: 'LinuxServer', name: 'web-01 twin', allowDuplicate: true, attributes: { hostname: 'web-01', domain: 'corp' } });
    expect(twin.id).not.toBe(first.id);
  });

  it('refuses an update whose new identifiers make the CI another one\'s duplicate, unless allowDuplicate', async () => {
    const a = await create({ class: 'LinuxServer', name: 'a', attributes: { hostname: 'a', domain: 'corp' } });
    const b = await create({ class: 'LinuxServer', name: 'b', attributes: { hostname: 'b', domain: 'corp', cpuCount: 2 } });
    const clash = await api.run(UPDATE, { id: b.id, input: { attributes: { hostname: 'a', cpuCount: 4 } } });
    expect(clash.errors![0].extensions).toMatchObject({ code: 'CONFLICT', existing: [{ id: a.id, name: 'a', class: 'LinuxServer' }] });
    const unchanged = await api.ok('query($id: ID!) { ci(id: $id) { attributes } }', { id: b.id });
    expect(unchanged.ci.attributes).toEqual({ hostname: 'b', domain: 'corp', cpuCount: 2 });
    // Editing other fields of a CI that matches itself is no conflict; an explicit allowDuplicate keeps the clash.
    await api.ok(UPDATE, { id: a.id, input: { attributes: { cpuCount: 8, hostname: 'a' } } });
    expect((await api.ok(UPDATE, { id: b.id, input: { allowDuplicate: true, attributes: { hostname: 'a' } } })).updateCi.attributes.hostname).toBe('a');
  });

  it('lets only one of two concurrent creates of the same asset through', async () => {
    const input = { class: 'LinuxServer', name: 'race', attributes: { hostname: 'race', serialNumber: 'RACE-1' } };
    const results = await Promise.all([api.run(CREATE, { input }), api.run(CREATE, { input: { ...input, name: 'race 2' } })]);
    expect(results.map((r) => (r.errors ? r.errors[0].extensions!.code : 'OK')).sort()).toEqual(['CONFLICT', 'OK']);
    expect((await graph.snapshot()).nodes).toHaveLength(1);
  });

  it('stores common fields and typed attributes, with labels for the whole class chain', async () => {
    const ci = await create({
      class: 'LinuxServer', name: 'web-01', environment: 'production', owner: 'Web Team', criticality: 'HIGH',
      attributes: { hostname: 'web-01', domain: 'example.com', cpuCount: 8, memoryGb: 31.5, ipAddresses: ['10.0.0.5'], warrantyExpires: '2027-03-01' },
    });
    expect(ci).toMatchObject({
      name: 'web-01', class: 'LinuxServer', lifecycleStatus: 'INSTALLED', environment: 'production', owner: 'Web Team',
      supportGroup: null, criticality: 'HIGH',
      attributes: { hostname: 'web-01', domain: 'example.com', cpuCount: 8, memoryGb: 31.5, ipAddresses: ['10.0.0.5'], warrantyExpires: '2027-03-01T00:00:00.000Z' },
    });
    expect(ci.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(ci.createdAt).toBe(ci.updatedAt);
    const labels = await graph.client.read('MATCH (c:CI {id: $id}) RETURN labels(c) AS labels', { id: ci.id });
    expect((labels.records[0].get('labels') as string[]).sort()).toEqual(['CI', 'Computer', 'ConfigurationItem', 'LinuxServer', 'Server']);
    const fetched = await api.ok(`query($id: ID!) { ci(id: $id) { id name attributes } }`, { id: ci.id });
    expect(fetched.ci).toEqual({ id: ci.id, name: 'web-01', attributes: ci.attributes });
  });

  it('round-trips JSON attributes', async () => {
    const ci = await create({ class: 'KubernetesNamespace', name: 'payments', attributes: { labels: { team: 'pay', tier: 1 } } });
    expect(ci.attributes).toEqual({ labels: { team: 'pay', tier: 1 } });
  });

  it.each([
    [{ class: 'Sever', name: 'x' }, 'class', "class 'Sever' is not in the model; did you mean 'Server'?"],
    [{ class: 'Computer', name: 'x', attributes: { hostname: 'x' } }, 'class', "class 'Computer' is abstract"],
    [{ class: 'LinuxServer', name: 'x', attributes: {} }, 'attributes.hostname', 'is required by class LinuxServer'],
    [{ class: 'LinuxServer', name: 'x', attributes: { hostname: 'x', cpuCount: 'eight' } }, 'attributes.cpuCount', 'must be an integer, got string "eight"'],
    [{ class: 'LinuxServer', name: 'x', attributes: { hostname: 'x', cpuCount: 2.5 } }, 'attributes.cpuCount', 'must be an integer'],
    [{ class: 'LinuxServer', name: 'x', attributes: { hostname: 'x', hostnmae: 'y' } }, 'attributes.hostnmae', "class LinuxServer has no attribute 'hostnmae'; did you mean 'hostname'?"],
    [{ class: 'LinuxServer', name: 'x', attributes: { hostname: 'x', warrantyExpires: 'next year' } }, 'attributes.warrantyExpires', 'must be an ISO-8601 date-time'],
    [{ class: 'LinuxServer', name: 'x', attributes: { hostname: 'x', ipAddresses: [1, 2] } }, 'attributes.ipAddresses', 'must be a list of strings'],
    [{ class: 'LinuxServer', name: '  ', attributes: { hostname: 'x' } }, 'name', 'must not be empty'],
    [{ class: 'LinuxServer', name: 'x', environment: '', attributes: { hostname: 'x' } }, 'environment', 'must not be empty'],
  ])('rejects %j with BAD_USER_INPUT on %s and writes nothing', async (input, field, reason) => {
    const result = await api.run(CREATE, { input });
    expect(result.data).toBeNull();
    expect(result.errors).toHaveLength(1);
    const error = result.errors![0];
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect((error.extensions!.errors as { field: string; reason: string }[]).find((e) => e.field === field)!.reason).toContain(reason);
    expect(error.message).toContain(field);
    expect(await graph.snapshot()).toEqual({ nodes: [], edges: [] });
  });

  it('reports every problem of one input at once', async () => {
    const result = await api.run(CREATE, { input: { class: 'Database', name: 'x', attributes: { sizeGb: 'big', nope: 1 } } });
    const fields = (result.errors![0].extensions!.errors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(['attributes.engine', 'attributes.nope', 'attributes.sizeGb']);
  });

  it('rejects an unknown enum value through GraphQL validation', async () => {
    const result = await api.run(CREATE, { input: { class: 'Application', name: 'x', lifecycleStatus: 'ALIVE' } });
    expect(result.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect(await graph.snapshot()).toEqual({ nodes: [], edges: [] });
  });
});

describe('updateCi', () => {
  it('changes only the given fields, clears with null and bumps updatedAt', async () => {
    const ci = await create({ class: 'LinuxServer', name: 'db-01', environment: 'test', attributes: { hostname: 'db-01', domain: 'corp', cpuCount: 4 } });
    await new Promise((r) => setTimeout(r, 5));
    const updated = (await api.ok(UPDATE, { id: ci.id, input: { lifecycleStatus: 'IN_USE', environment: null, attributes: { cpuCount: 16, domain: null, osName: 'Debian' } } })).updateCi;
    expect(updated).toMatchObject({
      id: ci.id, name: 'db-01', lifecycleStatus: 'IN_USE', environment: null,
      attributes: { hostname: 'db-01', cpuCount: 16, osName: 'Debian' },
    });
    expect(updated.updatedAt > (ci.updatedAt as string)).toBe(true);
    const props = await graph.client.read('MATCH (c:CI {id: $id}) RETURN keys(c) AS keys', { id: ci.id });
    expect(props.records[0].get('keys')).not.toContain('domain');
  });

  it('refuses to clear a required attribute or set a wrong type, leaving the CI unchanged', async () => {
    const ci = await create({ class: 'LinuxServer', name: 'db-02', attributes: { hostname: 'db-02', cpuCount: 4 } });
    const result = await api.run(UPDATE, { id: ci.id, input: { name: 'renamed', attributes: { hostname: null, cpuCount: '8' } } });
    expect(result.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect((result.errors![0].extensions!.errors as { field: string }[]).map((e) => e.field).sort()).toEqual(['attributes.cpuCount', 'attributes.hostname']);
    const after = await api.ok(`query($id: ID!) { ci(id: $id) { name attributes updatedAt } }`, { id: ci.id });
    expect(after.ci).toEqual({ name: 'db-02', attributes: { hostname: 'db-02', cpuCount: 4 }, updatedAt: ci.updatedAt });
  });

  it('returns NOT_FOUND for an unknown id', async () => {
    const result = await api.run(UPDATE, { id: 'nope', input: { name: 'x' } });
    expect(result.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
  });
});

describe('deleteCi', () => {
  it('removes the CI and its relationships, and nothing else', async () => {
    const app = await create({ class: 'Application', name: 'shop' });
    const db = await create({ class: 'Application', name: 'catalog' });
    const host = await create({ class: 'LinuxServer', name: 'h1', attributes: { hostname: 'h1' } });
    await api.ok(RELATE, { input: { from: app.id, to: host.id, type: 'RUNS_ON' } });
    await api.ok(RELATE, { input: { from: db.id, to: host.id, type: 'RUNS_ON' } });
    await api.ok(RELATE, { input: { from: app.id, to: db.id, type: 'DEPENDS_ON' } });
    const result = await api.ok(`mutation($id: ID!) { deleteCi(id: $id) { id deletedRelationships } }`, { id: host.id });
    expect(result.deleteCi).toEqual({ id: host.id, deletedRelationships: 2 });
    expect(await graph.snapshot()).toEqual({
      nodes: [['Application', 'catalog'], ['Application', 'shop']],
      edges: [['shop', 'DEPENDS_ON', 'catalog']],
    });
    const again = await api.run(`mutation($id: ID!) { deleteCi(id: $id) { id } }`, { id: host.id });
    expect(again.errors![0].extensions!.code).toBe('NOT_FOUND');
  });
});

describe('relate and unrelate', () => {
  it('creates an edge once, reports inverse names, and removes it', async () => {
    const app = await create({ class: 'Application', name: 'shop' });
    const host = await create({ class: 'VirtualMachine', name: 'vm1', attributes: { hostname: 'vm1' } });
    const first = (await api.ok(RELATE, { input: { from: app.id, to: host.id, type: 'RUNS_ON' } })).relate;
    expect(first).toEqual({ type: 'RUNS_ON', inverseName: 'RUNS', created: true, from: { name: 'shop' }, to: { name: 'vm1' } });
    const second = (await api.ok(RELATE, { input: { from: app.id, to: host.id, type: 'RUNS_ON' } })).relate;
    expect(second.created).toBe(false);
    expect((await graph.snapshot()).edges).toEqual([['shop', 'RUNS_ON', 'vm1']]);

    const seen = await api.ok(`query($id: ID!) { ci(id: $id) { relationships { type direction label inverseName ci { name } } } }`, { id: host.id });
    expect(seen.ci.relationships).toEqual([{ type: 'RUNS_ON', direction: 'INCOMING', label: 'RUNS', inverseName: 'RUNS', ci: { name: 'shop' } }]);

    const UNRELATE = `mutation($input: RelateInput!) { unrelate(input: $input) }`;
    expect((await api.ok(UNRELATE, { input: { from: app.id, to: host.id, type: 'RUNS_ON' } })).unrelate).toBe(true);
    expect((await api.ok(UNRELATE, { input: { from: app.id, to: host.id, type: 'RUNS_ON' } })).unrelate).toBe(false);
    expect(await graph.snapshot()).toEqual({ nodes: [['Application', 'shop'], ['VirtualMachine', 'vm1']], edges: [] });
  });

  it('rejects types not allowed between the classes, unknown types and self links, writing nothing', async () => {
    const dc = await create({ class: 'Datacenter', name: 'fra1' });
    const app = await create({ class: 'Application', name: 'shop' });
    const cases: [Record<string, string>, string, string, string][] = [
      [{ from: dc.id, to: app.id, type: 'RUNS_ON' }, 'BAD_USER_INPUT', 'type', 'RUNS_ON is not allowed from Datacenter to Application'],
      [{ from: app.id, to: dc.id, type: 'DEPEND_ON' }, 'BAD_USER_INPUT', 'type', "did you mean 'DEPENDS_ON'?"],
      [{ from: app.id, to: app.id, type: 'DEPENDS_ON' }, 'BAD_USER_INPUT', 'to', 'cannot be related to itself'],
      [{ from: app.id, to: 'missing', type: 'DEPENDS_ON' }, 'NOT_FOUND', 'to', "no CI with id 'missing'"],
    ];
    for (const [input, code, field, message] of cases) {
      const result = await api.run(RELATE, { input });
      expect(result.errors![0].extensions).toMatchObject({ code, field });
      expect(result.errors![0].message).toContain(message);
    }
    expect((await graph.snapshot()).edges).toEqual([]);
  });
});
