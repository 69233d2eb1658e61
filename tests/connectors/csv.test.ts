/**
 * CSV with a mapping file, on a real server inventory spreadsheet (tests/data/csv/README.md), and
 * `cmdb import csv` end to end: rows to CIs, relationships between rows, a missing identifier column.
 */
import { createReadStream, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { RecordGroup } from '../../src/connectors/contract';
import { csvConnector } from '../../src/connectors/csv/csv.connector';
import { fromFiles } from '../../src/connectors/run-import';
import { projectRoot } from '../../src/project-root';
import { runCli } from '../support/cli';
import { TestGraph } from '../support/graph';
import { HttpApp, useHttpApp } from '../support/http-app';
import { tempDir } from '../support/temp-dir';

const DATA = join(projectRoot(), 'tests', 'data', 'csv');
const SERVERS = join(DATA, 'racktrack-servers.csv');
const SERVERS_MAPPING = join(projectRoot(), 'src', 'connectors', 'csv', 'example-mapping.yaml');
const SERVICES = join(DATA, 'services.csv');
const SERVICES_MAPPING = join(DATA, 'services-mapping.yaml');
const tmp = tempDir('csv');

async function groups(file: string, mappingFile: string | undefined): Promise<RecordGroup[]> {
  const out: RecordGroup[] = [];
  for await (const g of fromFiles(csvConnector, { scope: 'default', mappingFile }, [{ stream: createReadStream(file), file }])) out.push(g);
  return out;
}

describe('parse and transform', () => {
  it('turns each row into a CI keyed by the key column, with units stripped from numbers', async () => {
    const all = await groups(SERVERS, SERVERS_MAPPING);
    expect(all.map((g) => `${g.position.at} ${g.items[0].class} ${g.items[0].name}`)).toEqual([
      'line 2 Server WebServer-1', 'line 3 Server DBServer-1', 'line 4 Server AppServer-1', 'line 5 Server MailServer-1', 'line 6 Server WebServer-2',
      'line 7 Server DBServer-2', 'line 8 Server BackupServer-1', 'line 9 Server WebServer-3', 'line 10 Server AppServer-2', 'line 11 Server Monitoring-Node',
    ]);
    expect(all[1].items[0]).toEqual({ ref: 'row:DBServer-1', class: 'Server', name: 'DBServer-1', sourceNativeKey: 'DBServer-1',
      attributes: { hostname: 'DBServer-1', ipAddresses: ['10.0.1.2'], cpuCount: 16, memoryGb: 64 } });
  });

  it('takes the class from a column and relates rows by key', async () => {
    const all = await groups(SERVICES, SERVICES_MAPPING);
    expect(all.flatMap((g) => g.items.map((i) => `${i.class} ${i.name} owner=${(i as { owner?: string }).owner}`))).toEqual([
      'BusinessService Webshop owner=ecommerce', 'Application Shop frontend owner=ecommerce', 'Application Shop API owner=ecommerce',
      'Server WebServer-1 owner=platform', 'Server WebServer-2 owner=platform', 'Server AppServer-1 owner=platform',
    ]);
    expect(all.flatMap((g) => g.relationships.map((r) => `${r.from} ${r.type} ${r.to}`))).toEqual([
      'row:svc-webshop DEPENDS_ON row:app-shop-frontend', 'row:svc-webshop DEPENDS_ON row:app-shop-api',
      'row:app-shop-frontend RUNS_ON row:WebServer-1', 'row:app-shop-frontend RUNS_ON row:WebServer-2', 'row:app-shop-api RUNS_ON row:AppServer-1',
    ]);
  });

  it('fails a header without an identifier column, a malformed CSV, or a missing mapping before loading anything', async () => {
    const noName = join(tmp, 'no-name.csv');
    writeFileSync(noName, readFileSync(SERVERS, 'utf8').replace(/^name,/, 'host,'));
    await expect(groups(noName, SERVERS_MAPPING)).rejects.toThrow(
      "no-name.csv: line 1 (header): the mapping needs column 'name', which the header lacks (it has 'host', 'ip', 'status', 'cpu', 'ram', 'rack', 'row', 'last_maintenance')");
    const ragged = join(tmp, 'ragged.csv');
    writeFileSync(ragged, 'name,ip,cpu,ram\nweb-1,10.0.0.1,2,4\nweb-2,10.0.0.2,2,4,extra\n');
    await expect(groups(ragged, SERVERS_MAPPING)).rejects.toThrow(/ragged\.csv: line 3: not valid CSV: Invalid Record Length/);
    await expect(groups(SERVERS, undefined)).rejects.toThrow('the csv connector needs a mapping file');
    const badMapping = join(tmp, 'bad.yaml');
    writeFileSync(badMapping, 'key: name\nclass: Server\nattributes:\n  hostname: name | trim\n');
    await expect(groups(SERVERS, badMapping)).rejects.toThrow("bad.yaml: mapping: attributes.hostname: unknown transform 'trim'");
  });
});

describe('cmdb import csv, end to end', () => {
  let graph: TestGraph;
  let http: HttpApp;
  useHttpApp((g, h) => ([graph, http] = [g, h]));
  const cli = (...args: string[]) => runCli(http, http.adminToken, args);

  it('imports the spreadsheet, then finds nothing changed', async () => {
    const args = ['import', 'csv', SERVERS, '--mapping', SERVERS_MAPPING, '--source', 'inventory-sheet', '--full', '--json'];
    const first = await cli(...args);
    expect(first.status).toBe(0);
    expect(first.report).toMatchObject({ problems: [], totals: { created: 10, errors: 0 } });
    expect((await graph.snapshot()).nodes).toHaveLength(10);
    const again = await cli(...args);
    expect(again.report.totals).toMatchObject({ created: 0, updated: 0, noChange: 10 });
  });

  it('imports a sheet whose rows name the rows they depend on and run on', async () => {
    await graph.wipe();
    const run = await cli('import', 'csv', SERVICES, '--mapping', SERVICES_MAPPING, '--source', 'service-catalogue', '--json');
    expect(run.status).toBe(0);
    expect(await graph.snapshot()).toEqual({
      nodes: [['Application', 'Shop API'], ['Application', 'Shop frontend'], ['BusinessService', 'Webshop'], ['Server', 'AppServer-1'], ['Server', 'WebServer-1'], ['Server', 'WebServer-2']],
      edges: [['Shop API', 'RUNS_ON', 'AppServer-1'], ['Shop frontend', 'RUNS_ON', 'WebServer-1'], ['Shop frontend', 'RUNS_ON', 'WebServer-2'],
        ['Webshop', 'DEPENDS_ON', 'Shop API'], ['Webshop', 'DEPENDS_ON', 'Shop frontend']],
    });
  });

  it('fails the run on a missing identifier column with exit 1 and loads nothing', async () => {
    const before = await graph.snapshot();
    const noName = join(tmp, 'no-name.csv');
    const bad = await cli('import', 'csv', noName, '--mapping', SERVERS_MAPPING, '--source', 'inventory-sheet', '--full');
    expect(bad.status).toBe(1);
    expect(bad.out).toContain("line 1 (header): the mapping needs column 'name', which the header lacks");
    expect(await graph.snapshot()).toEqual(before);
    const noMapping = await cli('import', 'csv', SERVERS);
    expect(noMapping.status).toBe(2);
    expect(noMapping.err).toContain('cmdb: mapping: --mapping: the csv connector needs a mapping file: cmdb import csv FILE.csv --mapping FILE.yaml');
  });
});
