/** `cmdb discover localhost` on the machine the tests run on, end to end against the real API and Neo4j. */
import * as os from 'os';
import { discoverLocalhost } from '../../src/connectors/localhost/localhost.discovery';
import { TestGraph } from '../support/graph';
import { runCli } from '../support/cli';
import { HttpApp, useHttpApp } from '../support/http-app';

let graph: TestGraph;
let http: HttpApp;
useHttpApp((g, h) => ([graph, http] = [g, h]));

const discover = () => runCli(http, http.adminToken, ['discover', 'localhost', '--json']);

it('reads this machine from the OS', () => {
  const group = discoverLocalhost();
  const host = group.items[0];
  expect(host).toMatchObject({ class: os.platform() === 'linux' ? 'LinuxServer' : 'Server', name: os.hostname() });
  expect(host.attributes).toMatchObject({ hostname: os.hostname().split('.')[0], cpuCount: os.cpus().length, kernelVersion: os.release() });
  const nics = Object.entries(os.networkInterfaces()).filter(([, a]) => (a ?? []).some((x) => !x.internal));
  expect(group.items.filter((i) => i.class === 'NetworkInterface').length).toBe(nics.length);
  for (const r of group.relationships) expect(group.items.map((i) => i.ref)).toEqual(expect.arrayContaining([r.from, r.to]));
});

it('creates this machine once with its interfaces and addresses; a second run changes nothing', async () => {
  const expected = discoverLocalhost();
  const first = await discover();
  expect(first.status).toBe(0);
  expect(first.report).toMatchObject({ status: 'SUCCEEDED', problems: [], totals: { created: expected.items.length, errors: 0, relationshipErrors: 0 } });
  expect((await graph.snapshot()).nodes).toEqual(expected.items.map((i) => [i.class, i.name]).sort((a, b) => a.join('\u0000').localeCompare(b.join('\u0000'))));
  const server = await http.ok('query($n: String!) { cis(first: 2, filter: { name: $n }) { edges { node { class attributes } } } }', { n: os.hostname() });
  expect(server.cis.edges).toHaveLength(1);
  expect(server.cis.edges[0].node.attributes).toMatchObject({ cpuCount: os.cpus().length });

  const second = await discover();
  expect(second.status).toBe(0);
  expect(second.report.totals).toMatchObject({ created: 0, updated: 0, noChange: expected.items.length });
  expect(second.report.cleanup).toMatchObject({ markedStale: 0 });
});
