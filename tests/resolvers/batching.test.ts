import { randomUUID } from 'crypto';
import { TestGraph } from '../support/graph';
import { TestApi } from '../support/api';
import { useTestApi } from '../support/suite';
import { createLoaders } from '../../src/services/loaders';
import { relationshipsOfCis } from '../../src/graph/relationship.queries';

let graph: TestGraph;
let api: TestApi;

useTestApi((g, a) => ([graph, api] = [g, a]));

/** 100 applications each RUNS_ON one of 10 hosts and DEPENDS_ON the next application. */
beforeAll(async () => {
  const now = new Date().toISOString();
  const hosts = Array.from({ length: 10 }, (_, i) => ({ id: randomUUID(), name: `host-${String(i).padStart(2, '0')}` }));
  const apps = Array.from({ length: 100 }, (_, i) => ({ id: randomUUID(), name: `app-${String(i).padStart(3, '0')}` }));
  await graph.client.write(
    `UNWIND $hosts AS h CREATE (c:CI:ConfigurationItem:Computer:Server:LinuxServer) SET c = h, c.class = 'LinuxServer', c.hostname = h.name, c.createdAt = $now, c.updatedAt = $now`,
    { hosts, now },
  );
  await graph.client.write(
    `UNWIND range(0, size($apps) - 1) AS i
     WITH i, $apps[i] AS a
     CREATE (c:CI:ConfigurationItem:Application) SET c = a, c.class = 'Application', c.createdAt = $now, c.updatedAt = $now
     WITH i, c MATCH (h:CI {id: $hosts[i % 10].id}) CREATE (c)-[:RUNS_ON {createdAt: $now}]->(h)`,
    { apps, hosts, now },
  );
  await graph.client.write(
    `UNWIND range(0, size($apps) - 2) AS i MATCH (a:CI {id: $apps[i].id}), (b:CI {id: $apps[i + 1].id}) CREATE (a)-[:DEPENDS_ON {createdAt: $now}]->(b)`,
    { apps, now },
  );
});

describe('relationship batching', () => {
  const PAGE = (include: string) => `{
      cis(first: 100, filter: { class: "Application" }) {
        totalCount
        edges { node { name relationships${include} { type direction label ci { id name class } } } }
      }
    }`;

  it('a page of 100 CIs reads their relationships and neighbours in the same statement: 2 round trips with the count', async () => {
    const result = await api.run(PAGE(''));
    expect(result.errors).toBeUndefined();
    const edges = result.data.cis.edges;
    expect(edges).toHaveLength(100);
    expect(result.data.cis.totalCount).toBe(100);
    expect(edges[5].node).toEqual({
      name: 'app-005',
      relationships: [
        { type: 'DEPENDS_ON', direction: 'INCOMING', label: 'USED_BY', ci: expect.objectContaining({ name: 'app-004' }) },
        { type: 'DEPENDS_ON', direction: 'OUTGOING', label: 'DEPENDS_ON', ci: expect.objectContaining({ name: 'app-006' }) },
        { type: 'RUNS_ON', direction: 'OUTGOING', label: 'RUNS_ON', ci: expect.objectContaining({ name: 'host-05', class: 'LinuxServer' }) },
      ],
    });
    expect(result.queries).toBe(2); // the page with its relationships, the count
    // A conditional selection is not read ahead: the loader's batch answers, one statement later, the same.
    const batched = await api.run(PAGE(' @include(if: true)'));
    expect(batched.queries).toBe(3);
    expect(batched.data).toEqual(result.data);
  });

  it('reads only the neighbour properties asked, and whole neighbours when a computed field is asked', async () => {
    const [app] = (await api.ok(`{ cis(first: 1, filter: { class: "Application" }) { edges { node { id } } } }`)).cis.edges.map((e: any) => e.node.id);
    const page = { direction: 'OUTGOING' as const, types: ['RUNS_ON'], first: 10, details: true };
    const [[projected]] = await relationshipsOfCis(graph.client, graph.catalog, [app], { ...page, fields: ['class', 'id', 'name'] });
    const [[full]] = await relationshipsOfCis(graph.client, graph.catalog, [app], { ...page, fields: null });
    expect([projected.ci.id, projected.ci.name, projected.ci.class]).toEqual([full.ci.id, full.ci.name, full.ci.class]);
    expect(full.ci.attributes).toEqual({ hostname: full.ci.name });
    expect(projected.ci.attributes).toEqual({});
    // Without details the edge's own properties are not read at all.
    const [[bare]] = await relationshipsOfCis(graph.client, graph.catalog, [app], { ...page, fields: ['class', 'id', 'name'], details: false });
    expect(full.createdAt).toEqual(expect.any(String));
    expect([bare.ci.id, bare.createdAt, bare.sources]).toEqual([full.ci.id, null, []]);
    // Asked through the page's look-ahead, they are read; so are whole CIs of the page when a computed field is asked.
    const host = full.ci.id;
    const details = await api.run(`{ cis(first: 1, filter: { ids: ["${host}"] }) { edges { node { id name attributes relationships(types: ["RUNS_ON"], direction: INCOMING) { type createdAt sources ci { id } } } } } }`);
    expect(details.errors).toBeUndefined();
    const node = details.data.cis.edges[0].node;
    expect(node).toEqual({
      id: host, name: full.ci.name, attributes: { hostname: full.ci.name },
      relationships: expect.arrayContaining([{ type: 'RUNS_ON', createdAt: new Date(full.createdAt!).toISOString(), sources: full.sources, ci: { id: app } }]),
    });
    expect(details.queries).toBe(1);
    const whole = await api.run(`{ cis(first: 3, filter: { class: "Application" }) { edges { node { relationships { ci { name attributes } } } } } }`);
    expect(whole.errors).toBeUndefined();
    expect(whole.data.cis.edges[0].node.relationships.map((r: any) => r.ci)).toContainEqual({ name: 'host-00', attributes: { hostname: 'host-00' } });
  });

  it('two levels of relationships cost one more query per level, not per CI', async () => {
    const result = await api.run(`{
      cis(first: 100, filter: { class: "Application" }) {
        edges { node { name relationships(types: ["RUNS_ON"]) { ci { name relationships(direction: INCOMING) { ci { name } } } } } }
      }
    }`);
    expect(result.errors).toBeUndefined();
    const host = result.data.cis.edges[0].node.relationships[0].ci;
    expect(host.name).toBe('host-00');
    expect(host.relationships).toHaveLength(10);
    expect(result.queries).toBe(2); // the page with the first level, one batch for the second
  });

  it('batches keys with equal arguments together and returns one list per key, in key order', async () => {
    const client = graph.client.scoped();
    const loaders = createLoaders(client, graph.catalog);
    const page = await client.read('MATCH (c:Application) RETURN c.id AS id ORDER BY c.name LIMIT 3');
    const [a0, , a2] = page.records.map((r) => r.get('id') as string);
    client.stats.queries = 0;
    const [r2, r0, r0out, missing] = await Promise.all([
      loaders.relationships.load({ id: a2, direction: 'BOTH', types: null, first: 10, fields: null, details: true }),
      loaders.relationships.load({ id: a0, direction: 'BOTH', types: null, first: 10, fields: null, details: true }),
      loaders.relationships.load({ id: a0, direction: 'OUTGOING', types: ['RUNS_ON'], first: 10, fields: null, details: true }),
      loaders.relationships.load({ id: 'no-such-ci', direction: 'BOTH', types: null, first: 10, fields: null, details: true }),
    ]);
    expect(client.stats.queries).toBe(2); // one per distinct argument set
    expect(r2.map((r) => `${r.direction} ${r.type} ${r.ci.name}`)).toEqual(['INCOMING DEPENDS_ON app-001', 'OUTGOING DEPENDS_ON app-003', 'OUTGOING RUNS_ON host-02']);
    expect(r0.map((r) => `${r.direction} ${r.type} ${r.ci.name}`)).toEqual(['OUTGOING DEPENDS_ON app-001', 'OUTGOING RUNS_ON host-00']);
    expect(r0out.map((r) => r.ci.name)).toEqual(['host-00']);
    expect(missing).toEqual([]);
    // Neighbours were primed: loading one costs nothing more.
    expect((await loaders.ciById.load(r0out[0].ci.id))?.name).toBe('host-00');
    expect(client.stats.queries).toBe(2);
  });

  it('honours first per CI and rejects unknown relationship types', async () => {
    const limited = await api.ok(`{ cis(first: 1, filter: { class: "LinuxServer" }) { edges { node { relationships(first: 3) { ci { name } } } } } }`);
    expect(limited.cis.edges[0].node.relationships.map((r: any) => r.ci.name)).toEqual(['app-000', 'app-010', 'app-020']);
    const bad = await api.run(`{ cis(first: 1) { edges { node { relationships(types: ["RUN_ON"]) { type } } } } }`);
    expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'types' });
    expect(bad.errors![0].message).toContain("did you mean 'RUNS_ON'?");
  });
});
