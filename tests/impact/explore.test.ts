import { TestGraph } from '../support/graph';
import { TestApi } from '../support/api';
import { useTestApi } from '../support/suite';
import { buildEstate } from './impact-fixture';

let graph: TestGraph;
let api: TestApi;
let ids: Record<string, string>;

useTestApi((g, a) => ([graph, api] = [g, a]));

beforeAll(async () => {
  ids = await buildEstate(api);
});

describe('exploration', () => {
  it('neighborhood returns the nodes within depth and every edge among them', async () => {
    const r = (await api.ok(`query($id: ID!) { neighborhood(ciId: $id, depth: 1) { center { name } nodes { ci { name } depth } edges { from to type } truncated } }`, { id: ids.web })).neighborhood;
    expect(r.center.name).toBe('web');
    expect(r.nodes.map((n: any) => [n.ci.name, n.depth])).toEqual([['Shop', 1], ['db', 1], ['lb', 1], ['sso', 1]]);
    const name = Object.fromEntries(Object.entries(ids).map(([k, v]) => [v, k]));
    expect(r.edges.map((e: any) => `${name[e.from]} ${e.type} ${name[e.to]}`).sort()).toEqual([
      'Shop DEPENDS_ON web', 'web DEPENDS_ON db', 'web DEPENDS_ON lb', 'web DEPENDS_ON sso',
    ]);
    expect(r.truncated).toBe(false);
    const limited = (await api.ok(`query($id: ID!) { neighborhood(ciId: $id, depth: 2, types: ["MEMBER_OF"], limit: 2) { nodes { ci { name } } truncated } }`, { id: ids.lb })).neighborhood;
    expect(limited.nodes.map((n: any) => n.ci.name)).toEqual(['i1', 'i2']);
    expect(limited.truncated).toBe(true);
  });

  it('neighborhood asOf leaves out the CIs and edges created later, and refuses a CI that did not exist', async () => {
    const before = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    const { createCi } = await api.ok('mutation { createCi(input: { class: "Application", name: "later-app", attributes: { applicationCode: "APP-LATER" } }) { id } }');
    await api.ok('mutation($a: ID!, $b: ID!) { relate(input: { from: $a, to: $b, type: "DEPENDS_ON" }) { created } }', { a: createCi.id, b: ids.web });
    await api.ok('mutation($a: ID!, $b: ID!) { relate(input: { from: $a, to: $b, type: "DEPENDS_ON" }) { created } }', { a: ids.Shop, b: ids.db });
    const q = 'query($id: ID!, $at: DateTimeISO) { neighborhood(ciId: $id, depth: 1, asOf: $at) { nodes { ci { name } } edges { from to type } } }';
    const name = Object.fromEntries([...Object.entries(ids).map(([k, v]) => [v, k]), [createCi.id, 'later-app']]);
    const shape = (r: any) => ({ nodes: r.nodes.map((n: any) => n.ci.name).sort(), edges: r.edges.map((e: any) => `${name[e.from]} ${e.type} ${name[e.to]}`).sort() });
    const now = shape((await api.ok(q, { id: ids.web, at: null })).neighborhood);
    const then = shape((await api.ok(q, { id: ids.web, at: before })).neighborhood);
    expect(now.nodes).toEqual(['Shop', 'db', 'later-app', 'lb', 'sso']);
    expect(now.edges).toContain('Shop DEPENDS_ON db');
    expect(then).toEqual({ nodes: ['Shop', 'db', 'lb', 'sso'], edges: ['Shop DEPENDS_ON web', 'web DEPENDS_ON db', 'web DEPENDS_ON lb', 'web DEPENDS_ON sso'] });
    const missing = await api.run(q, { id: createCi.id, at: before });
    expect(missing.errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND', field: 'asOf' } });
    await api.ok('mutation($a: ID!, $b: ID!) { unrelate(input: { from: $a, to: $b, type: "DEPENDS_ON" }) }', { a: ids.Shop, b: ids.db });
    await api.ok('mutation($id: ID!) { deleteCi(id: $id) { deletedRelationships } }', { id: createCi.id });
  });

  it('paths returns the shortest paths between two CIs with edge directions', async () => {
    const r = (await api.ok(`query($a: ID!, $b: ID!) { paths(fromId: $a, toId: $b) { length steps { from { name } type forward to { name } } } }`, { a: ids.Shop, b: ids.srv })).paths;
    expect(r).toEqual([{ length: 4, steps: [
      { from: { name: 'Shop' }, type: 'DEPENDS_ON', forward: true, to: { name: 'web' } },
      { from: { name: 'web' }, type: 'DEPENDS_ON', forward: true, to: { name: 'db' } },
      { from: { name: 'db' }, type: 'HOSTED_ON', forward: true, to: { name: 'dbi' } },
      { from: { name: 'dbi' }, type: 'RUNS_ON', forward: true, to: { name: 'srv' } },
    ] }]);
    const two = (await api.ok(`query($a: ID!, $b: ID!) { paths(fromId: $a, toId: $b) { length } }`, { a: ids.lb, b: ids.rack })).paths;
    expect(two).toEqual([{ length: 4 }, { length: 4 }]);
    const missing = await api.run(`query($a: ID!) { paths(fromId: $a, toId: "nope") { length } }`, { a: ids.lb });
    expect(missing.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'toId' });
  });

  it('dependsOn and usedBy follow failure direction and are batched for a page of CIs', async () => {
    const one = (await api.ok(`query($id: ID!) { ci(id: $id) { dependsOn(depth: 2) { ci { name } depth } usedBy { ci { name } } redundancy { type quorum } } }`, { id: ids.lb })).ci;
    expect(one.dependsOn.map((d: any) => `${d.ci.name}:${d.depth}`)).toEqual(['i1:1', 'i2:1', 'i3:1', 'i4:1', 'vm1:2', 'vm2:2', 'vm3:2', 'vm4:2']);
    expect(one.usedBy.map((d: any) => d.ci.name)).toEqual(['web']);
    expect(one.redundancy).toEqual([{ type: 'MEMBER_OF', quorum: 2 }]);
    const page = await api.run(`{ cis(first: 50) { edges { node { name dependsOn { ci { name } } usedBy(depth: 2) { ci { name } } } } } }`);
    expect(page.errors).toBeUndefined();
    const vm1 = page.data.cis.edges.find((e: any) => e.node.name === 'vm1').node;
    expect(vm1.dependsOn.map((d: any) => d.ci.name)).toEqual(['hv1']);
    expect(vm1.usedBy.map((d: any) => d.ci.name)).toEqual(['i1', 'lb']);
    expect(page.queries).toBe(3); // page, dependsOn batch, usedBy batch
  });
});
