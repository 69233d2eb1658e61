/**
 * The ServiceNow connector on records of real instances (tests/data/servicenow/README.md), and
 * `cmdb import servicenow` end to end: the migration path off ServiceNow.
 */
import { createReadStream, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { RecordGroup } from '../../src/connectors/contract';
import { fromFiles } from '../../src/connectors/run-import';
import { serviceNowConnector } from '../../src/connectors/servicenow/servicenow.connector';
import { projectRoot } from '../../src/project-root';
import { runCli } from '../support/cli';
import { TestGraph } from '../support/graph';
import { HttpApp, useHttpApp } from '../support/http-app';
import { tempDir } from '../support/temp-dir';

const DATA = join(projectRoot(), 'tests', 'data', 'servicenow');
const SERVERS = join(DATA, 'cmdb_ci_linux_server.json');
const APPS = join(DATA, 'cmdb_ci_appl.json');
const RELS = join(DATA, 'cmdb_rel_ci.json');
const DISPLAY = join(DATA, 'cmdb_ci-display-values.json');
const tmp = tempDir('snow');

async function groups(files: string[]): Promise<RecordGroup[]> {
  const out: RecordGroup[] = [];
  for await (const g of fromFiles(serviceNowConnector, { scope: 'default' }, files.map((f) => ({ stream: createReadStream(f), file: f })))) out.push(g);
  return out;
}

describe('parse and transform', () => {
  it('maps sys_class_name to classes, sys_id to the native key, and cmdb_rel_ci types to the catalog', async () => {
    // Relationships first: the export's files may come in any order.
    const all = await groups([RELS, SERVERS, APPS, DISPLAY]);
    expect(all.flatMap((g) => g.items.map((i) => `${i.class} ${i.name} ${i.sourceNativeKey}`))).toEqual([
      'LinuxServer Record For README a8decc3f1b9c2410042611b4bd4bcb7d', 'LinuxServer README Record d64098b3db50641026fca015ca9619a7',
      'Application CMS App FLX 829e953a0ad3370200af63483498b1ea',
    ]);
    // Empty strings are what ServiceNow prints for unknown fields: no attribute comes from them.
    expect(all[2].items[0].attributes).toEqual({ hostname: 'Record For README' });
    expect(all.flatMap((g) => g.relationships)).toEqual([
      // "Uses::Used by": the parent (the application) uses the child (the server).
      { from: 'sn:829e953a0ad3370200af63483498b1ea', to: 'sn:a8decc3f1b9c2410042611b4bd4bcb7d', type: 'DEPENDS_ON' },
      // Named by the type's sys_id only: the out-of-box "Depends on::Used by".
      { from: 'sn:451047c6c0a8016400de0ae6df9b9d76', to: 'sn:53979c53c0a801640116ad2044643fb2', type: 'DEPENDS_ON' },
    ]);
    expect(all.flatMap((g) => g.problems.map((p) => `${g.position.key} ${p.field}: ${p.reason}`))).toEqual([
      "8fbc3c053bc07300b924874064efc4ae sys_class_name: 'Configuration Item' is not in the mapping (classes); the record was skipped",
    ]);
  });

  it('fails an error answer, a truncated export and another format with the position', async () => {
    const error = join(tmp, 'error.json');
    writeFileSync(error, JSON.stringify({ error: { message: 'User Not Authenticated', detail: 'Required to provide Auth information' }, status: 'failure' }));
    await expect(groups([error])).rejects.toThrow('error.json: $.error: ServiceNow answered with an error, not records: User Not Authenticated (Required to provide Auth information)');
    const truncated = join(tmp, 'truncated.json');
    writeFileSync(truncated, readFileSync(SERVERS, 'utf8').slice(0, 3000));
    await expect(groups([truncated])).rejects.toThrow(/truncated\.json: line \d+, column \d+: the JSON document ends early/);
    await expect(groups([join(projectRoot(), 'tests', 'data', 'aws', 'describe-vpcs.json')])).rejects.toThrow('this is not a ServiceNow Table API answer (no "result")');
  });
});

describe('cmdb import servicenow, end to end', () => {
  let graph: TestGraph;
  let http: HttpApp;
  useHttpApp((g, h) => ([graph, http] = [g, h]));
  const cli = (...args: string[]) => runCli(http, http.adminToken, args);

  it('migrates the CIs and their relationship as an IMPORT source, then changes nothing', async () => {
    const first = await cli('import', 'servicenow', RELS, SERVERS, APPS, DISPLAY, '--full', '--json');
    expect(first.status).toBe(3); // the display-value record and the unexported CIs of dev60476 are reported
    expect(first.report.totals).toMatchObject({ created: 3, errors: 0, relationshipsCreated: 1, relationshipErrors: 0 });
    expect(first.report.problems.map((p: { file: string; field: string }) => `${p.file.split('/').pop()} ${p.field}`)).toEqual([
      'cmdb_ci-display-values.json sys_class_name', 'cmdb_rel_ci.json relationships',
    ]);
    expect(await graph.snapshot()).toEqual({
      nodes: [['Application', 'CMS App FLX'], ['LinuxServer', 'README Record'], ['LinuxServer', 'Record For README']],
      edges: [['CMS App FLX', 'DEPENDS_ON', 'Record For README']],
    });
    expect((await http.ok('{ dataSources { name kind } }')).dataSources).toContainEqual({ name: 'servicenow', kind: 'IMPORT' });
    const again = await cli('import', 'servicenow', RELS, SERVERS, APPS, '--full', '--json');
    expect(again.report.totals).toMatchObject({ created: 0, updated: 0, noChange: 3, relationshipsCreated: 0 });
  });

  it('a FULL export without a server marks it per the source\'s policy and keeps the rest', async () => {
    const doc = JSON.parse(readFileSync(SERVERS, 'utf8'));
    doc.result = doc.result.filter((r: { sys_id: string }) => r.sys_id !== 'd64098b3db50641026fca015ca9619a7');
    const smaller = join(tmp, 'servers.json');
    writeFileSync(smaller, JSON.stringify(doc));
    const run = await cli('import', 'servicenow', RELS, smaller, APPS, '--full', '--json');
    expect(run.report.cleanup).toMatchObject({ markedStale: 1 });
    const stale = await graph.client.read("MATCH (c:CI) WHERE c.lifecycleStatus = 'STALE' RETURN c.name AS n");
    expect(stale.records.map((r) => r.get('n'))).toEqual(['README Record']);
  });
});
