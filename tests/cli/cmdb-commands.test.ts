/**
 * The `cmdb` questions and token commands against the real API: tables for people, --json for scripts, the API's
 * roles deciding who may do what; and an import interrupted by Ctrl-C ends FAILED instead of staying RUNNING.
 */
import { spawn } from 'child_process';
import { join } from 'path';
import { PassThrough } from 'stream';
import { ByteCounter, ImportProgress } from '../../src/cli/progress';
import { projectRoot } from '../../src/project-root';
import { runCli } from '../support/cli';
import { HttpApp, useHttpApp } from '../support/http-app';

const CSV = join(projectRoot(), 'tests', 'data', 'csv');
let http: HttpApp;
useHttpApp((_g, h) => (http = h));
const cli = (...args: string[]) => runCli(http, http.adminToken, args);

beforeAll(async () => {
  const loaded = await cli('import', 'csv', join(CSV, 'services.csv'), '--mapping', join(CSV, 'services-mapping.yaml'), '--source', 'service-catalogue', '--full', '--json');
  expect(loaded.status).toBe(0);
});

describe('cmdb ci', () => {
  it('shows a CI by name with its fields, sources and relationships; --json for scripts', async () => {
    const r = await cli('ci', 'Shop API');
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/^Shop API \(Application\) [0-9a-f-]{36}\n/);
    expect(r.out).toMatch(/owner\s+│ ecommerce\s+│ service-catalogue \(/);
    expect(r.out).toMatch(/RUNS_ON\s+│ AppServer-1\s+│ Server/);
    expect(r.out).toMatch(/USED_BY\s+│ Webshop\s+│ BusinessService/);
    const json = await cli('ci', 'Shop API', '--json');
    expect(json.report).toMatchObject({ name: 'Shop API', class: 'Application', owner: 'ecommerce' });
    const byId = await cli('ci', json.report.id, '--json');
    expect(byId.report.id).toBe(json.report.id);
  });

  it('says what to do when the name is unknown or ambiguous (exit 2)', async () => {
    const none = await cli('ci', 'No Such CI');
    expect([none.status, none.err.trim()]).toEqual([2, "cmdb: no CI is named 'No Such CI'"]);
    await http.ok('mutation { createCi(input: { class: "Application", name: "Shop API", allowDuplicate: true, attributes: { applicationCode: "APP-2" } }) { id } }');
    const two = await cli('ci', 'Shop API');
    expect(two.status).toBe(2);
    expect(two.err).toContain("2 CIs are named 'Shop API'; give an id or --class");
  });
});

describe('cmdb impact', () => {
  it('lists the affected services with severity, criticality and owners', async () => {
    const r = await cli('impact', 'AppServer-1', '--depth', '4');
    expect(r.status).toBe(0);
    expect(r.out).toContain('If AppServer-1 (Server) fails, 1 service is affected:');
    expect(r.out).toMatch(/Webshop\s+│ BusinessService │ DOWN\s+│\s+│ ecommerce/);
    expect(r.out).toMatch(/Affected CIs: .*1 Application/);
    const json = await cli('impact', 'AppServer-1', '--json');
    expect(json.report.services).toEqual([expect.objectContaining({ severity: 'DOWN', ci: expect.objectContaining({ name: 'Webshop' }) })]);
    expect((await cli('impact', 'AppServer-1', '--depth', '11')).status).toBe(2);
  });
});

describe('cmdb health and cmdb sources', () => {
  it('report the estate\'s health and each source\'s last run', async () => {
    const health = await cli('health', '--json');
    expect(health.status).toBe(0);
    expect(health.report.summary.totalCis).toBe(7);
    expect(health.report.sources).toContainEqual(expect.objectContaining({ name: 'service-catalogue', lastRunStatus: 'SUCCEEDED', ciCount: 6 }));
    const table = await cli('health');
    expect(table.out).toMatch(/│ 7\s+│/);
    const sources = await cli('sources');
    expect(sources.out).toMatch(/service-catalogue\s+│ IMPORT\s+│.*│ SUCCEEDED 20\d\d-\d\d-\d\dT[\d:]+Z \(default\)/);
  });
});

describe('cmdb token', () => {
  it('creates a token shown once, lists it without its secret, and revokes it', async () => {
    const created = await cli('token', 'create', 'scanner-fra1', '--role', 'discovery', '--source', 'service-catalogue', '--expires-in-days', '30');
    expect(created.status).toBe(0);
    const secret = created.out.trim();
    expect(secret).toMatch(/^cmdb_\S+$/);
    expect(created.err).toContain("token 'scanner-fra1' (discovery, source service-catalogue) created");
    // The new token works, for what its role allows.
    expect((await runCli(http, secret, ['ci', 'Webshop'])).status).toBe(0);
    const list = await cli('token', 'list', '--json');
    const mine = list.report.find((t: { name: string }) => t.name === 'scanner-fra1');
    expect(mine).toMatchObject({ role: 'discovery', source: 'service-catalogue', revokedAt: null });
    expect(list.out).not.toContain(secret);
    const revoked = await cli('token', 'revoke', mine.id);
    expect(revoked.out).toMatch(/^revoked 'scanner-fra1' \(discovery\) at /);
    const refused = await runCli(http, secret, ['ci', 'Webshop']);
    expect(refused.status).toBe(1);
    expect(refused.err).toContain('give a valid token with --token or CMDB_TOKEN');
  });

  it('refuses token commands to a viewer and says why; usage errors are exit 2', async () => {
    const viewer = await http.token('viewer');
    const r = await runCli(http, viewer, ['token', 'create', 'x', '--role', 'admin']);
    expect(r.status).toBe(1);
    expect(r.err).toMatch(/cmdb: .*(admin|FORBIDDEN|not allowed|may not).*\(this token's role may not do this/);
    expect((await runCli(http, viewer, ['token', 'list'])).status).toBe(1);
    expect((await runCli(http, viewer, ['health'])).status).toBe(0);
    expect((await cli('token', 'create', 'x', '--role', 'root')).status).toBe(2);
    expect((await cli('token', 'create', 'x')).status).toBe(2);
  });
});

describe('progress and interruption', () => {
  it('draws a bar with records, batches, rate and ETA on a terminal, plain lines elsewhere', () => {
    const counter = new ByteCounter();
    const tty = Object.assign(new PassThrough(), { isTTY: true, columns: 120, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
    let drawn = '';
    tty.on('data', (d) => (drawn += d));
    const bar = new ImportProgress(counter, 1000, true, tty as unknown as NodeJS.WritableStream);
    counter.bytes = 500;
    bar.update({ records: 40, batches: 2, items: 80 });
    bar.stop();
    expect(drawn).toMatch(/50% \| 40 records \| 2 batches \| \d+ records\/s \| ETA/);
    const plain = new PassThrough();
    let lines = '';
    plain.on('data', (d) => (lines += d));
    const log = new ImportProgress(counter, 1000, false, plain, 0);
    log.update({ records: 40, batches: 2, items: 80 });
    expect(lines).toMatch(/^40 records parsed, 2 batches loaded, \d+ records\/s \(50% of the input\)\n$/);
  });

  it('Ctrl-C during an import ends the run FAILED, with nothing cleaned up', async () => {
    const child = spawn(process.execPath, [join(projectRoot(), 'dist', 'src', 'cli', 'cmdb.js'), 'import', 'servicenow', '-', '--full', '--json'], {
      env: { ...process.env, CMDB_URL: `${http.base}/graphql`, CMDB_TOKEN: http.adminToken }, stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    // An export that is still arriving: the run has started, the document is not finished.
    child.stdin.write('{"result": [{"sys_id": "a1", "sys_class_name": "cmdb_ci_appl", "name": "Half"},');
    const started = Date.now();
    while (Date.now() - started < 20_000) {
      const runs = (await http.ok('{ syncRuns(first: 1, source: "servicenow") { status } }')).syncRuns;
      if (runs[0]?.status === 'RUNNING') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGINT');
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(status).toBe(1);
    expect(JSON.parse(out)).toMatchObject({ status: 'FAILED', failure: 'interrupted before the input was fully loaded', cleanup: null });
    expect((await http.ok('{ syncRuns(first: 1, source: "servicenow") { status cleanup { markedStale } } }')).syncRuns).toEqual([{ status: 'FAILED', cleanup: null }]);
  });
});
