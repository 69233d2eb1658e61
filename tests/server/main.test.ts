import { ChildProcess, spawn } from 'child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'fs';
import neo4j, { Driver } from 'neo4j-driver';
import { join } from 'path';
import { projectRoot } from '../../src/project-root';
import { testNeo4jAuth, testNeo4jUri } from '../support/neo4j';

async function withDriver<T>(work: (d: Driver) => Promise<T>): Promise<T> {
  const driver = neo4j.driver(testNeo4jUri(), testNeo4jAuth(), { disableLosslessIntegers: true });
  try {
    return await work(driver);
  } finally {
    await driver.close();
  }
}
import { isAlive } from '../../src/server/process-util';
import { tempDir } from '../support/temp-dir';

const MAIN = join(projectRoot(), 'dist', 'src', 'server', 'main.js');

interface Started { child: ChildProcess; output: () => string; stdout: () => string; exited: Promise<number | null> }

/** Runs the built server (npm test builds it first) against the test Neo4j. */
function startServer(env: Record<string, string>): Started {
  let output = '';
  let stdout = '';
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, NODE_ENV: 'production', PORT: '0', CMDB_DATA_DIR: tempDir('main-data'), NEO4J_USER: process.env.NEO4J_TEST_USER ?? '', NEO4J_PASSWORD: process.env.NEO4J_TEST_PASSWORD ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => {
    output += d;
    stdout += d;
  });
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, stdout: () => stdout, exited };
}

async function waitFor(started: Started, pattern: RegExp, timeoutMs = 60000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = started.output().match(pattern);
    if (match) return match;
    if (Date.now() > deadline || started.child.exitCode !== null) throw new Error(`did not see ${pattern}; output:\n${started.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error('dist/ is missing: run `npm run build` (npm test does it in pretest)');
});

/** The server's stdout as parsed JSON lines (stdout is a pipe, so the server writes JSON). */
const jsonLines = (started: Started) =>
  started.stdout().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, any>);

it('uses NEO4J_URI without starting a local Neo4j, creates the first admin token, logs JSON lines, serves, and shuts down on SIGTERM', async () => {
  // No admin token yet: the first start creates one.
  await withDriver((d) => d.executeQuery("MATCH (t:ApiToken {role: 'admin'}) DETACH DELETE t"));
  const dataDir = tempDir('main-data');
  const server = startServer({ NEO4J_URI: testNeo4jUri(), CMDB_DATA_DIR: dataDir });
  const [, base] = await waitFor(server, /GraphQL API at (http:\/\/[^\s,]+)\/graphql/);
  await waitFor(server, /first start: created an admin API token/);
  expect(server.output()).not.toMatch(/local Neo4j/);
  const tokenFile = join(dataDir, 'admin-token');
  expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
  const token = readFileSync(tokenFile, 'utf8').trim();
  expect(token).toMatch(/^cmdb_[A-Za-z0-9_-]{43}$/);
  // Without a token: 401 and nothing written.
  const refused = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'mutation { registerSource(input: { name: "nope", kind: DISCOVERY }) { name } }' }) });
  expect(refused.status).toBe(401);
  expect(((await refused.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  const inFlight = fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': 'probe-42', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: 'query CountCis { cis(first: 1) { totalCount } }', operationName: 'CountCis' }),
  });
  const response = await inFlight;
  expect(response.headers.get('x-request-id')).toBe('probe-42');
  await waitFor(server, /"reqId":"probe-42"/);
  server.child.kill('SIGTERM');
  expect(response.status).toBe(200);
  expect(await server.exited).toBe(0);

  // Every line of stdout is one JSON object with a level, a time and a message.
  const stdoutLines = server.stdout().split('\n').filter(Boolean);
  const lines = jsonLines(server);
  expect(lines.length).toBe(stdoutLines.length);
  for (const line of lines) expect(line).toEqual(expect.objectContaining({ level: expect.any(String), time: expect.any(String), msg: expect.any(String) }));
  const request = lines.find((l) => l.reqId === 'probe-42')!;
  expect(request).toMatchObject({
    level: 'info', msg: 'POST /graphql 200', req: { method: 'POST', url: '/graphql' }, res: { statusCode: 200 },
    graphql: { operationName: 'CountCis', operationType: 'query', outcome: 'success' },
  });
  expect(request.durationMs).toEqual(expect.any(Number));
  // The token appears once, in the first-start line, and in no request line.
  expect(server.output().split(token).length - 1).toBe(1);
  expect(request.principal).toMatch(/^token:bootstrap-admin-/);
  expect(await withDriver(async (d) => (await d.executeQuery("MATCH (s:DataSource {name: 'nope'}) RETURN count(s) AS n")).records[0].get('n'))).toBe(0);
  expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['SIGTERM: finishing in-flight requests and shutting down', 'stopped']));
  await expect(fetch(`${base}/healthz`)).rejects.toThrow();
});

it('starts its own local Neo4j, comes back after kill -9, and stops Neo4j on SIGTERM', async () => {
  const home = tempDir('main-home');
  const env = { NEO4J_URI: '', CMDB_NEO4J_HOME: home, CMDB_NEO4J_PORT: '0', CMDB_NEO4J_HEAP: '512m', CMDB_NEO4J_PAGECACHE: '64m' };
  const first = startServer(env);
  await waitFor(first, /GraphQL API at/, 120000);
  const [, pid] = first.output().match(/starting Neo4j \(pid (\d+)\)/)!;
  first.child.kill('SIGKILL');
  await first.exited;

  const second = startServer(env);
  const [, base] = await waitFor(second, /GraphQL API at (http:\/\/[^\s,]+)\/graphql/, 120000);
  expect(second.output()).toContain(`reusing the running Neo4j (pid ${pid})`);
  const ready = await fetch(`${base}/readyz`);
  expect(ready.status).toBe(200);
  second.child.kill('SIGTERM');
  expect(await second.exited).toBe(0);
  expect(isAlive(Number(pid))).toBe(false);
}, 240000);

it('refuses to start with an invalid model, naming the file and the problem', async () => {
  const dir = tempDir('badmodel');
  writeFileSync(join(dir, 'ext.yaml'), 'classes:\n  - name: Printer\n    attributes: [{ name: pages, type: number }]\n');
  const server = startServer({ NEO4J_URI: testNeo4jUri(), CMDB_MODEL_PATH: dir });
  expect(await server.exited).toBe(1);
  expect(server.output()).toMatch(/ext\.yaml: classes\[0\] \(Printer\) attributes\[0\] \(pages\): type must be one of/);
});

it('refuses a NEO4J_URI that is not bolt:// or neo4j://', async () => {
  const server = startServer({ NEO4J_URI: 'http://127.0.0.1:7474' });
  expect(await server.exited).toBe(1);
  expect(server.output()).toContain("NEO4J_URI must start with bolt:// or neo4j://");
});
