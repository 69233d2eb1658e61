/**
 * The nmap connector on genuine nmap output (tests/data/nmap/README.md says where each file came from), and
 * `cmdb import nmap` end to end against the real API and Neo4j.
 */
import { createReadStream, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { nmapConnector } from '../../src/connectors/nmap/nmap.connector';
import { projectRoot } from '../../src/project-root';
import { TestGraph } from '../support/graph';
import { runCli } from '../support/cli';
import { HttpApp, useHttpApp } from '../support/http-app';
import { tempDir } from '../support/temp-dir';

const DATA = join(projectRoot(), 'tests', 'data', 'nmap');
const LAN = join(DATA, 'lan-A-full.xml');
const tmp = tempDir('nmap');

async function groups(file: string) {
  const out = [];
  for await (const g of nmapConnector.start({ scope: "default" }).parse(createReadStream(file), file)) out.push(g);
  return out;
}

describe('parse and transform', () => {
  it('turns every host that is up into a server with its interface and addresses, classed by its OS match', async () => {
    const lan = await groups(LAN);
    expect(lan.map((g) => g.items.map((i) => `${i.class} ${i.name}`))).toEqual([
      ['LinuxServer 192.168.1.1', 'NetworkInterface 6c:2e:85:19:af:00', 'IpAddress 192.168.1.1'],
      ['Server 192.168.1.2', 'NetworkInterface c0:63:94:05:01:03', 'IpAddress 192.168.1.2'],
      ['WindowsServer 192.168.1.5', 'NetworkInterface 00:1f:3c:87:66:50', 'IpAddress 192.168.1.5'],
      ['Server 192.168.1.3', 'IpAddress 192.168.1.3'],
    ]);
    const windows = lan[2].items[0];
    expect(windows).toMatchObject({
      sourceNativeKey: 'mac:00:1f:3c:87:66:50',
      attributes: { hostname: '192.168.1.5', osName: 'Microsoft Windows Server 2008 Beta 3', ipAddresses: ['192.168.1.5'],
        openPorts: ['2869/tcp http Microsoft HTTPAPI httpd 2.0', '5357/tcp http Microsoft HTTPAPI httpd 2.0'] },
      lookup: [{ class: 'NetworkInterface', attributes: { macAddress: '00:1f:3c:87:66:50' } }, { class: 'IpAddress', attributes: { address: '192.168.1.5' } }],
    });
    expect(lan[2].items[1].attributes).toEqual({ macAddress: '00:1f:3c:87:66:50', vendor: 'Intel Corporate' });
    expect(lan[2].relationships).toEqual([
      { from: 'nic:00:1F:3C:87:66:50', to: 'host:00:1F:3C:87:66:50', type: 'ASSIGNED_TO' },
      { from: 'ip:192.168.1.5', to: 'nic:00:1F:3C:87:66:50', type: 'ASSIGNED_TO' },
    ]);
    // A host without MAC (scanned across a router) is keyed and looked up by its address.
    expect(lan[3].items[0]).toMatchObject({ sourceNativeKey: 'ip:192.168.1.3', lookup: [{ class: 'IpAddress', attributes: { address: '192.168.1.3' } }] });
    const local = await groups(join(DATA, 'localhost-sV-O.xml'));
    expect(local.map((g) => g.items.map((i) => `${i.class} ${i.name}`))).toEqual([['Server localhost', 'IpAddress 127.0.0.1']]);
  });

  it('fails a truncated file or another format with the position, before yielding anything', async () => {
    const truncated = join(tmp, 'truncated.xml');
    writeFileSync(truncated, readFileSync(LAN, 'utf8').slice(0, 40_000));
    await expect(groups(truncated)).rejects.toThrow(/truncated\.xml: line \d+, column \d+: not well-formed XML/);
    const other = join(tmp, 'pom.xml');
    writeFileSync(other, '<?xml version="1.0"?><project><modelVersion>4.0.0</modelVersion></project>');
    await expect(groups(other)).rejects.toThrow(/pom\.xml: root element: this is not nmap XML output \(root element <project>/);
  });
});

describe('cmdb import nmap, end to end', () => {
  let graph: TestGraph;
  let http: HttpApp;
  useHttpApp((g, h) => ([graph, http] = [g, h]));

  const cli = (...args: string[]) => runCli(http, http.adminToken, args);
  const run = (token: string, args: string[]) => runCli(http, token, args);
  const count = async (cypher: string) => (await graph.client.read(cypher)).records[0].get('n') as number;

  it('creates the scanned estate once, then finds every item unchanged', async () => {
    const first = await cli('import', 'nmap', LAN, '--source', 'nmap', '--scope', 'lan-192.168.1.0', '--full', '--json');
    expect([first.status, first.err.includes('failed') ? first.err : '']).toEqual([0, '']);
    expect(first.report).toMatchObject({ status: 'SUCCEEDED', records: 4, items: 11, problems: [], totals: { created: 11, errors: 0, relationshipsCreated: 7, relationshipErrors: 0 } });
    expect((await graph.snapshot()).nodes).toEqual([
      ['IpAddress', '192.168.1.1'], ['IpAddress', '192.168.1.2'], ['IpAddress', '192.168.1.3'], ['IpAddress', '192.168.1.5'],
      ['LinuxServer', '192.168.1.1'],
      ['NetworkInterface', '00:1f:3c:87:66:50'], ['NetworkInterface', '6c:2e:85:19:af:00'], ['NetworkInterface', 'c0:63:94:05:01:03'],
      ['Server', '192.168.1.2'], ['Server', '192.168.1.3'], ['WindowsServer', '192.168.1.5'],
    ]);
    expect(await count('MATCH (:CI)-[r:ASSIGNED_TO]->(:CI) RETURN count(r) AS n')).toBe(7);

    // The same scan twice in one command: the repeated records land in a batch of their own, and nothing changes.
    const again = await cli('import', 'nmap', LAN, LAN, '--source', 'nmap', '--scope', 'lan-192.168.1.0', '--full', '--json');
    expect(again.status).toBe(0);
    expect(again.report).toMatchObject({ records: 8, batches: 2, problems: [] });
    expect(again.report.totals).toMatchObject({ created: 0, updated: 0, noChange: 22, errors: 0, relationshipErrors: 0 });
    expect((await graph.snapshot()).nodes).toHaveLength(11);
    expect(again.report.cleanup).toMatchObject({ markedStale: 0 });
  });

  it('a FULL run without one host marks it stale and leaves other scopes alone', async () => {
    const local = await cli('import', 'nmap', join(DATA, 'localhost-sV-O.xml'), '--source', 'nmap', '--scope', 'loopback', '--full', '--json');
    expect(local.status).toBe(0);
    // The Windows host (<host> number 254 of the scan) is gone from the next scan of the LAN.
    const xml = readFileSync(LAN, 'utf8');
    const hosts = xml.split('<host ');
    const without = hosts.filter((h) => !h.includes('00:1F:3C:87:66:50')).join('<host ');
    const smaller = join(tmp, 'lan-without-windows.xml');
    writeFileSync(smaller, without);
    const scan = await cli('import', 'nmap', smaller, '--source', 'nmap', '--scope', 'lan-192.168.1.0', '--full', '--json');
    expect(scan.status).toBe(0);
    expect(scan.report.cleanup.markedStale).toBe(3); // the server, its interface, its address
    const stale = await graph.client.read("MATCH (c:CI) WHERE c.lifecycleStatus = 'STALE' RETURN c.name AS n ORDER BY n");
    expect(stale.records.map((r) => r.get('n'))).toEqual(['00:1f:3c:87:66:50', '192.168.1.5', '192.168.1.5']);
    expect(await count("MATCH (c:CI {name: 'localhost'}) WHERE c.lifecycleStatus <> 'STALE' RETURN count(c) AS n")).toBe(1);
  });

  it('fails a malformed file (exit 1) without loading or cleaning anything, and refuses usage errors (exit 2)', async () => {
    const before = await graph.snapshot();
    const truncated = join(tmp, 'truncated.xml');
    const bad = await cli('import', 'nmap', truncated, '--source', 'nmap', '--scope', 'lan-192.168.1.0', '--full');
    expect(bad.status).toBe(1);
    expect(bad.out).toMatch(/FAILED[\s\S]*truncated\.xml: line \d+, column \d+: not well-formed XML[\s\S]*nothing was cleaned up/);
    expect(await graph.snapshot()).toEqual(before);
    const runs = (await http.ok('{ syncRuns(first: 1) { status } }')).syncRuns;
    expect(runs).toEqual([{ status: 'FAILED' }]);
    expect((await cli('import', 'nmapp', LAN)).status).toBe(2);
    expect((await cli('import', 'nmap', join(tmp, 'missing.xml'))).status).toBe(2);
    expect((await cli('import', 'nmap')).status).toBe(2);
  });

  it('refuses a token that may not report as the source, naming the command to ask for', async () => {
    const r = await run(await http.token('viewer'), ['import', 'nmap', LAN, '--source', 'nmap-new']);
    expect(r.status).toBe(1);
    expect(r.out).toContain('registerSource(input: { name: "nmap-new", kind: DISCOVERY })');
  });
});
