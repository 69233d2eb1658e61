import { openTestGraph, TestGraph } from '../support/graph';
import { ensureSchema } from '../../src/graph/schema-bootstrap';

let graph: TestGraph;
beforeAll(async () => {
  graph = await openTestGraph();
});
afterAll(() => graph.close());

it('creates the id constraint and identifier indexes, idempotently', async () => {
  await ensureSchema(graph.client, graph.catalog);
  await ensureSchema(graph.client, graph.catalog);
  const constraints = await graph.client.read("SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties RETURN name, type, labelsOrTypes, properties");
  expect(constraints.records.map((r) => r.toObject())).toContainEqual({
    name: 'ci_id_unique', type: 'UNIQUENESS', labelsOrTypes: ['CI'], properties: ['id'],
  });
  const indexes = await graph.client.read("SHOW INDEXES YIELD name, state, properties WHERE name STARTS WITH 'ci_' RETURN name, state, properties");
  const byName = new Map(indexes.records.map((r) => [r.get('name') as string, r.toObject()]));
  for (const attr of ['serialNumber', 'fqdn', 'hostname', 'cloudInstanceId', 'macAddress']) {
    expect(byName.get(`ci_attr_${attr}`)).toMatchObject({ state: 'ONLINE', properties: [attr] });
  }
  expect(byName.get('ci_name')).toMatchObject({ properties: ['name'] });
});

it('the constraint refuses a duplicate CI id', async () => {
  await graph.client.write("CREATE (:CI {id: 'dup'})");
  await expect(graph.client.write("CREATE (:CI {id: 'dup'})")).rejects.toThrow(/already exists/);
  await graph.wipe();
});
