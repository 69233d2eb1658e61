/**
 * The local Neo4j manager against a second, disposable server (its own temp home and free port, apart from the one
 * the global setup runs): data survives restarts, a SIGKILLed server is replaced, a live one is reused.
 */
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import neo4j from 'neo4j-driver';
import { startLocalNeo4j, stopLocalNeo4jAt, type LocalNeo4j, type LocalNeo4jOptions } from '../../src/server/local-neo4j';
import { homeAuth, passwordFile } from '../../src/server/neo4j-credentials';
import { renderNeo4jConf } from '../../src/server/neo4j-conf';

jest.setTimeout(120_000);

const homeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmdb-local-neo4j-test-'));
const opts: LocalNeo4jOptions = { homeDir, boltPort: 0, heapMax: '512m', pageCache: '64m' };
let server: LocalNeo4j | undefined;

async function query(uri: string, cypher: string, auth = homeAuth(homeDir)): Promise<unknown[]> {
  const driver = neo4j.driver(uri, auth);
  try {
    const { records } = await driver.executeQuery(cypher);
    return records.map((r) => r.toObject());
  } finally {
    await driver.close();
  }
}

const probes = (uri: string) => query(uri, "MATCH (p:CmdbProbe {id: 'persist'}) RETURN count(p) AS n");

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/\)\s+[ZX]/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

async function waitDead(pid: number): Promise<void> {
  for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  expect(alive(pid)).toBe(false);
}

function portOf(uri: string): number {
  return Number(new URL(uri).port);
}

function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

afterAll(async () => {
  await stopLocalNeo4jAt(homeDir);
  fs.rmSync(homeDir, { recursive: true, force: true });
});

test('starts a server that answers and keeps its data across stop/start', async () => {
  const first = await startLocalNeo4j(opts);
  expect(first.reused).toBe(false);
  expect(first.uri).toMatch(/^bolt:\/\/127\.0\.0\.1:\d+$/);
  expect(await query(first.uri, 'RETURN 1 AS one')).toEqual([{ one: neo4j.int(1) }]);
  // A password generated for this home, readable by its user only; without it, or with Neo4j's factory one, no entry.
  expect(fs.statSync(passwordFile(homeDir)).mode & 0o777).toBe(0o600);
  expect(first.password).toBe(fs.readFileSync(passwordFile(homeDir), 'utf8').trim());
  expect(first.password.length).toBeGreaterThanOrEqual(32);
  await expect(query(first.uri, 'RETURN 1', { scheme: 'none', principal: '', credentials: '' })).rejects.toMatchObject({ code: 'Neo.ClientError.Security.Unauthorized' });
  await expect(query(first.uri, 'RETURN 1', neo4j.auth.basic('neo4j', 'neo4j'))).rejects.toMatchObject({ code: 'Neo.ClientError.Security.Unauthorized' });
  await query(first.uri, "CREATE (:CmdbProbe {id: 'persist'})");
  await first.stop();
  await waitDead(first.pid);

  server = await startLocalNeo4j(opts);
  expect(server.reused).toBe(false);
  expect(server.pid).not.toBe(first.pid);
  expect(server.password).toBe(first.password);
  expect(await probes(server.uri)).toEqual([{ n: neo4j.int(1) }]);
});

test('comes back after the server is SIGKILLed, leaving its pid and lock files behind', async () => {
  const crashed = server!;
  process.kill(-crashed.pid, 'SIGKILL');
  await waitDead(crashed.pid);
  expect(fs.existsSync(path.join(homeDir, 'run', 'neo4j.pid'))).toBe(true);
  expect(fs.existsSync(path.join(homeDir, 'run', 'cmdb-neo4j.json'))).toBe(true);
  expect(fs.existsSync(path.join(homeDir, 'data', 'databases', 'store_lock'))).toBe(true);

  server = await startLocalNeo4j(opts);
  expect(server.reused).toBe(false);
  expect(server.pid).not.toBe(crashed.pid);
  expect(await probes(server.uri)).toEqual([{ n: neo4j.int(1) }]);
});

test('reuses the server already running from the same home', async () => {
  const again = await startLocalNeo4j(opts);
  expect(again.reused).toBe(true);
  expect(again.pid).toBe(server!.pid);
  expect(again.uri).toBe(server!.uri);
  // Asking for another port must not silently restart the server under its current users.
  const otherPort = portOf(server!.uri) === 65000 ? 65001 : 65000;
  await expect(startLocalNeo4j({ ...opts, boltPort: otherPort })).rejects.toThrow(/already runs on port/);
});

test('a running server of this home without authentication (started by an older version) is restarted with it', async () => {
  const conf = path.join(homeDir, 'conf', 'neo4j.conf');
  fs.writeFileSync(conf, fs.readFileSync(conf, 'utf8').replace('auth_enabled=true', 'auth_enabled=false'));
  const before = server!.pid;
  server = await startLocalNeo4j(opts);
  expect(server.reused).toBe(false);
  expect(server.pid).not.toBe(before);
  expect(fs.readFileSync(conf, 'utf8')).toMatch(/^dbms\.security\.auth_enabled=true$/m);
  expect(await probes(server.uri)).toEqual([{ n: neo4j.int(1) }]);
});

test('stop ends the process and closes the port', async () => {
  const running = server!;
  await running.stop();
  expect(alive(running.pid)).toBe(false);
  expect(await connects(portOf(running.uri))).toBe(false);
  expect(fs.existsSync(path.join(homeDir, 'run', 'cmdb-neo4j.json'))).toBe(false);
  expect(await stopLocalNeo4jAt(homeDir)).toBe(false);
});

test('refuses a port that another process holds, naming it', async () => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as net.AddressInfo).port;
  const otherHome = fs.mkdtempSync(path.join(os.tmpdir(), 'cmdb-local-neo4j-busy-'));
  try {
    await expect(startLocalNeo4j({ homeDir: otherHome, boltPort: port })).rejects.toThrow(`port ${port}`);
  } finally {
    blocker.close();
    fs.rmSync(otherHome, { recursive: true, force: true });
  }
});

test('writes further settings after its own, and refuses one it sets itself or one that is not a setting', () => {
  const base = { homeDir, boltPort: 7687, heapMax: '1g', pageCache: '512m' };
  const conf = renderNeo4jConf({ ...base, settings: { 'db.lock.acquisition.timeout': '500ms' } });
  expect(conf.trimEnd().split('\n').slice(-2)).toEqual(['server.memory.pagecache.size=512m', 'db.lock.acquisition.timeout=500ms']);
  expect(() => renderNeo4jConf({ ...base, settings: { 'dbms.security.auth_enabled': 'false' } })).toThrow('dbms.security.auth_enabled is set by the local server');
  expect(() => renderNeo4jConf({ ...base, settings: { 'db.x': '1\ndbms.security.auth_enabled=false' } })).toThrow('not a neo4j.conf setting');
  expect(() => renderNeo4jConf({ ...base, settings: { 'Bad Name': '1' } })).toThrow('not a neo4j.conf setting');
});
