import { TestGraph } from '../support/graph';
import { TestApi } from '../support/api';
import { useTestApi } from '../support/suite';

let graph: TestGraph;
let api: TestApi;
const ids: Record<string, string> = {};

const CREATE = `mutation($input: CreateCiInput!) { createCi(input: $input) { id name } }`;
const LIST = `query($filter: CiFilter, $first: Int!, $after: String) {
  cis(filter: $filter, first: $first, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { name class } } }
}`;

useTestApi((g, a) => ([graph, api] = [g, a]));

beforeAll(async () => {
  const inputs = [
    { class: 'LinuxServer', name: 'lin-a', environment: 'production', lifecycleStatus: 'IN_USE', attributes: { hostname: 'lin-a', osName: 'Debian', cpuCount: 8 } },
    { class: 'LinuxServer', name: 'lin-b', environment: 'test', lifecycleStatus: 'IN_USE', attributes: { hostname: 'lin-b', osName: 'Debian', cpuCount: 4 } },
    { class: 'WindowsServer', name: 'win-a', environment: 'production', lifecycleStatus: 'RETIRED', attributes: { hostname: 'win-a', cpuCount: 8 } },
    { class: 'Hypervisor', name: 'esx-1', environment: 'production', attributes: { hostname: 'esx-1', hypervisorType: 'ESXi' } },
    { class: 'VirtualMachine', name: 'vm-Shop-1', environment: 'production', attributes: { hostname: 'vm1' } },
    { class: 'Application', name: 'Shop', environment: 'production' },
  ];
  for (const input of inputs) ids[input.name] = (await api.ok(CREATE, { input })).createCi.id;
});

const names = (data: any): string[] => data.cis.edges.map((e: any) => e.node.name);

describe('cis', () => {
  it('lists everything ordered by name with totalCount', async () => {
    const data = await api.ok(LIST, { first: 50 });
    expect(names(data)).toEqual(['Shop', 'esx-1', 'lin-a', 'lin-b', 'vm-Shop-1', 'win-a']);
    expect(data.cis.totalCount).toBe(6);
    expect(data.cis.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
  });

  it('filters by class including subclasses', async () => {
    expect(names(await api.ok(LIST, { first: 50, filter: { class: 'Server' } }))).toEqual(['esx-1', 'lin-a', 'lin-b', 'win-a']);
    expect(names(await api.ok(LIST, { first: 50, filter: { class: 'Computer' } }))).toEqual(['esx-1', 'lin-a', 'lin-b', 'vm-Shop-1', 'win-a']);
    expect(names(await api.ok(LIST, { first: 50, filter: { class: 'LinuxServer' } }))).toEqual(['lin-a', 'lin-b']);
  });

  it('filters by name, lifecycle status, environment and attribute equality together', async () => {
    expect(names(await api.ok(LIST, { first: 50, filter: { nameContains: 'shop' } }))).toEqual(['Shop', 'vm-Shop-1']);
    expect(names(await api.ok(LIST, { first: 50, filter: { lifecycleStatus: ['RETIRED', 'INSTALLED'] } }))).toEqual(['Shop', 'esx-1', 'vm-Shop-1', 'win-a']);
    const data = await api.ok(LIST, { first: 50, filter: { class: 'Server', environment: 'production', attributes: [{ name: 'cpuCount', value: 8 }] } });
    expect(names(data)).toEqual(['lin-a', 'win-a']);
    expect(data.cis.totalCount).toBe(2);
    expect(names(await api.ok(LIST, { first: 50, filter: { attributes: [{ name: 'osName', value: 'Debian' }, { name: 'cpuCount', value: 4 }] } }))).toEqual(['lin-b']);
  });

  it('pages with cursors without gaps or repeats', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page++) {
      const data: any = await api.ok(LIST, { first: 4, after });
      seen.push(...names(data));
      expect(data.cis.totalCount).toBe(6);
      expect(data.cis.pageInfo.hasPreviousPage).toBe(after !== null);
      if (!data.cis.pageInfo.hasNextPage) break;
      after = data.cis.pageInfo.endCursor;
    }
    expect(seen).toEqual(['Shop', 'esx-1', 'lin-a', 'lin-b', 'vm-Shop-1', 'win-a']);
  });

  it('rejects bad filters with the field and reason', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ first: 5, filter: { class: 'Servr' } }, 'filter.class', "did you mean 'Server'?"],
      [{ first: 5, filter: { class: 'Application', attributes: [{ name: 'cpuCount', value: 1 }] } }, 'filter.attributes[0].name', 'not declared by class Application'],
      [{ first: 5, filter: { attributes: [{ name: 'cpuCount', value: 'many' }] } }, 'filter.attributes[0].value', 'must be an integer'],
      [{ first: 5000 }, 'first', 'must be between 0 and 500'],
      [{ first: 5, after: 'garbage' }, 'after', 'is not a cursor'],
    ];
    for (const [variables, field, reason] of cases) {
      const result = await api.run(LIST, variables);
      expect(result.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(result.errors![0].message).toContain(reason);
    }
  });

  it('ci(id) answers NOT_FOUND for an unknown id', async () => {
    const result = await api.run(`{ ci(id: "00000000-0000-0000-0000-000000000000") { id } }`);
    expect(result.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect(result.errors![0].message).toBe("no CI with id '00000000-0000-0000-0000-000000000000'");
  });
});

describe('catalog queries', () => {
  it('ciClasses exposes inheritance, attributes and rules', async () => {
    const data = await api.ok(`{ ciClasses(name: "Server") { name parent abstract subclasses attributes { name type required declaredBy } identificationRules { priority identifiers relatedVia { type } } } }`);
    const server = data.ciClasses.find((c: any) => c.name === 'Server');
    expect(data.ciClasses.map((c: any) => c.name).sort()).toEqual(['Hypervisor', 'LinuxServer', 'Server', 'WindowsServer']);
    expect(server).toMatchObject({ parent: 'Computer', abstract: false, subclasses: ['LinuxServer', 'WindowsServer', 'Hypervisor'] });
    expect(server.attributes).toContainEqual({ name: 'hostname', type: 'string', required: true, declaredBy: 'Computer' });
    expect(server.identificationRules).toEqual([
      { priority: 1, identifiers: ['serialNumber'], relatedVia: null },
      { priority: 2, identifiers: ['fqdn'], relatedVia: null },
      { priority: 3, identifiers: ['hostname', 'domain'], relatedVia: null },
    ]);
    const all = await api.ok(`{ ciClasses { name } }`);
    expect(all.ciClasses.length).toBe(graph.catalog.classes.size);
  });

  it('relationshipTypes exposes inverse names, endpoints and propagation', async () => {
    const data = await api.ok(`{ relationshipTypes { name inverseName propagation allowedSources allowedTargets } }`);
    expect(data.relationshipTypes).toContainEqual({
      name: 'LOCATED_IN', inverseName: 'LOCATION_OF', propagation: 'TARGET_TO_SOURCE',
      allowedSources: ['Computer', 'NetworkDevice', 'LoadBalancer', 'Rack', 'StorageVolume'], allowedTargets: ['Datacenter', 'Rack'],
    });
    expect(data.relationshipTypes).toHaveLength(graph.catalog.relationshipTypes.size);
  });
});
