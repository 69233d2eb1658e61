import { ChildProcess, spawn } from 'child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { projectRoot } from '../../src/project-root';
import { testNeo4jUri } from '../support/neo4j';
import { isAlive } from '../../src/server/process-util';

const MAIN = join(projectRoot(), 'dist', 'src', 'server', 'main.js');

interface Started { child: ChildProcess; output: () => string; exited: Promise<number | null> }

/** Runs the built server (npm test builds it first) against the test Neo4j. */
function startServer(env: Record<string, string>): Started {
  let output = '';
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, NODE_ENV: 'production', PORT: '0', NEO4J_USER: process.env.NEO4J_TEST_USER ?? '', NEO4J_PASSWORD: process.env.NEO4J_TEST_PASSWORD ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
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

it('uses NEO4J_URI without starting a local Neo4j, serves, and shuts down gracefully on SIGTERM', async () => {
  const server = startServer({ NEO4J_URI: testNeo4jUri() });
  const [, base] = await waitFor(server, /GraphQL API at (http:\/\/[^\s]+)\/graphql/);
  expect(server.output()).not.toMatch(/local Neo4j/);
  const inFlight = fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ cis(first: 1) { totalCount } }' }),
  });
  const response = await inFlight;
  server.child.kill('SIGTERM');
  expect(response.status).toBe(200);
  expect(await server.exited).toBe(0);
  expect(server.output()).toMatch(/SIGTERM: finishing in-flight requests/);
  expect(server.output()).toMatch(/\[cmdb\] stopped/);
  await expect(fetch(`${base}/healthz`)).rejects.toThrow();
});

it('starts its own local Neo4j, comes back after kill -9, and stops Neo4j on SIGTERM', async () => {
  const home = mkdtempSync(join(tmpdir(), 'cmdb-main-home-'));
  const env = { NEO4J_URI: '', CMDB_NEO4J_HOME: home, CMDB_NEO4J_PORT: '0', CMDB_NEO4J_HEAP: '512m', CMDB_NEO4J_PAGECACHE: '64m' };
  const first = startServer(env);
  await waitFor(first, /GraphQL API at/, 120000);
  const [, pid] = first.output().match(/starting Neo4j \(pid (\d+)\)/)!;
  first.child.kill('SIGKILL');
  await first.exited;

  const second = startServer(env);
  const [, base] = await waitFor(second, /GraphQL API at (http:\/\/[^\s]+)\/graphql/, 120000);
  expect(second.output()).toContain(`reusing the running Neo4j (pid ${pid})`);
  const ready = await fetch(`${base}/readyz`);
  expect(ready.status).toBe(200);
  second.child.kill('SIGTERM');
  expect(await second.exited).toBe(0);
  expect(isAlive(Number(pid))).toBe(false);
}, 240000);

it('refuses to start with an invalid model, naming the file and the problem', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cmdb-badmodel-'));
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
