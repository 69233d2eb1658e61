/**
 * Runs a Neo4j Community server from the jars in neo4j/lib as a detached child process, so a developer (or the test
 * suite) needs only a JDK, not a Neo4j install. The server outlives a crashed API process; the next start finds it
 * again through the state file (or /proc) and reuses it, or clears the leftovers of a dead one and starts afresh.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { commandLine, isAlive, listenProbe, readPid, signalGroup, sleep } from './process-util';
import { homeAuth, LOCAL_NEO4J_USER, probeBolt, secureLocalNeo4j } from './neo4j-credentials';
import { ensureNeo4jJars, HOME_SUBDIRS, jvmArgs, neo4jLibDir, renderNeo4jConf } from './neo4j-conf';

export { neo4jLibDir };

export interface LocalNeo4jOptions {
  homeDir: string;
  /** Default 7687; 0 picks a free port. */
  boltPort?: number;
  heapMax?: string;
  pageCache?: string;
  /** Further neo4j.conf settings, name to value. */
  settings?: Record<string, string>;
  startTimeoutMs?: number;
  log?: (msg: string) => void;
}

export interface LocalNeo4j {
  uri: string;
  pid: number;
  homeDir: string;
  /** True when an already running server of this home was adopted instead of started. */
  reused: boolean;
  /** The server requires these; the password is generated on first start and kept in the home (0600). */
  user: string;
  password: string;
  stop(): Promise<void>;
}

interface State {
  pid: number;
  port: number;
  startedAt: string;
}

const JAVA_MISSING =
  'cmdb: Java 17+ is required to run the local Neo4j; install a JDK 17 (e.g. apt-get install openjdk-17-jdk) or set NEO4J_URI to use an existing server';

const statePath = (home: string) => path.join(home, 'run', 'cmdb-neo4j.json');

function readState(home: string): State | undefined {
  try {
    const s = JSON.parse(fs.readFileSync(statePath(home), 'utf8')) as State;
    return Number.isInteger(s.pid) && Number.isInteger(s.port) ? s : undefined;
  } catch {
    return undefined;
  }
}

/** A pid from a file may have been recycled by an unrelated process after a reboot or crash, so check what it runs. */
function isOurs(pid: number, home: string): boolean {
  const cmd = isAlive(pid) ? commandLine(pid) : undefined;
  return !!cmd && cmd.includes('org.neo4j.server.CommunityEntryPoint') && cmd.includes(`--home-dir=${home} `);
}

/** Servers running from this home: our state file, Neo4j's own pid file, and on Linux any process whose command line says so. */
function findRunning(home: string): number[] {
  const candidates = new Set<number>();
  const fromState = readState(home)?.pid;
  if (fromState) candidates.add(fromState);
  const fromNeo4j = readPid(path.join(home, 'run', 'neo4j.pid'));
  if (fromNeo4j) candidates.add(fromNeo4j);
  try {
    for (const name of fs.readdirSync('/proc')) if (/^\d+$/.test(name)) candidates.add(Number(name));
  } catch {
    /* no /proc */
  }
  return [...candidates].filter((pid) => pid !== process.pid && isOurs(pid, home));
}

function confText(home: string): string {
  try {
    return fs.readFileSync(path.join(home, 'conf', 'neo4j.conf'), 'utf8');
  } catch {
    return '';
  }
}

const authEnabled = (home: string) => /^dbms\.security\.auth_enabled=true\s*$/m.test(confText(home));

function confPort(home: string): number | undefined {
  const m = /^server\.bolt\.listen_address=.*:(\d+)\s*$/m.exec(confText(home));
  return m ? Number(m[1]) : undefined;
}

async function waitForBolt(port: number, home: string, dead: () => boolean, timeoutMs: number): Promise<'up' | 'exited' | 'timeout'> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (dead()) return 'exited';
    if ((await probeBolt(port, homeAuth(home))) !== 'down') return 'up';
    if (dead()) return 'exited';
    if (Date.now() >= deadline) return 'timeout';
    await sleep(250);
  }
}

/** SIGTERM the process group (Neo4j checkpoints and exits), SIGKILL it if that takes too long. */
async function terminate(pid: number, home: string, log: (m: string) => void): Promise<boolean> {
  if (!isOurs(pid, home)) return false;
  signalGroup(pid, 'SIGTERM');
  for (const [limit, next] of [[30_000, 'SIGKILL'], [10_000, undefined]] as const) {
    const deadline = Date.now() + limit;
    while (isAlive(pid) && Date.now() < deadline) await sleep(100);
    if (!isAlive(pid)) return true;
    if (next) {
      log(`Neo4j (pid ${pid}) did not stop within ${limit / 1000}s; killing it`);
      signalGroup(pid, next);
    }
  }
  throw new Error(`cmdb: Neo4j (pid ${pid}) could not be stopped`);
}

/** Leftovers of a dead server. Neo4j's locks are OS file locks, so the files are harmless, but we start from a clean slate. */
function removeStaleFiles(home: string): void {
  const dbs = path.join(home, 'data', 'databases');
  const files = [statePath(home), path.join(home, 'run', 'neo4j.pid'), path.join(dbs, 'store_lock')];
  try {
    for (const d of fs.readdirSync(dbs)) files.push(path.join(dbs, d, 'database_lock'));
  } catch {
    /* no databases yet */
  }
  for (const f of files) fs.rmSync(f, { force: true });
}

function logTail(home: string): string {
  const parts: string[] = [];
  for (const f of [path.join('logs', 'neo4j.log'), path.join('logs', 'console.log')]) {
    try {
      const lines = fs.readFileSync(path.join(home, f), 'utf8').trimEnd().split('\n').slice(-25);
      if (lines.join('').trim()) parts.push(`--- ${f} (last ${lines.length} lines) ---\n${lines.join('\n')}`);
    } catch {
      /* not written yet */
    }
  }
  return parts.length ? `\n${parts.join('\n')}` : ' (no log output)';
}

/** Serialises starts on one home across processes, so two starters cannot both launch (and then fight over) a server. */
async function withStartLock<T>(home: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  const file = path.join(home, 'run', 'cmdb-start.lock');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      fs.writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = readPid(file);
    const age = Date.now() - (fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0);
    if (holder ? !isAlive(holder) : age > 5000) {
      fs.rmSync(file, { force: true }); // left by a starter that died
    } else if (Date.now() > deadline) {
      throw new Error(`cmdb: another process (pid ${holder ?? '?'}) has been starting the Neo4j of ${home} for too long`);
    } else {
      await sleep(250);
    }
  }
  try {
    return await fn();
  } finally {
    if (readPid(file) === process.pid) fs.rmSync(file, { force: true });
  }
}

async function handle(home: string, pid: number, port: number, reused: boolean, log: (m: string) => void): Promise<LocalNeo4j> {
  const auth = await secureLocalNeo4j(port, home);
  let stopping: Promise<void> | undefined;
  const stop = async () => {
    await terminate(pid, home, log);
    if (readState(home)?.pid === pid) fs.rmSync(statePath(home), { force: true });
  };
  return {
    uri: `bolt://127.0.0.1:${port}`,
    pid,
    homeDir: home,
    reused,
    user: LOCAL_NEO4J_USER,
    password: auth.credentials,
    stop: () => (stopping ??= stop()),
  };
}

export async function startLocalNeo4j(opts: LocalNeo4jOptions): Promise<LocalNeo4j> {
  const home = path.resolve(opts.homeDir);
  const log = opts.log ?? (() => undefined);
  const timeoutMs = opts.startTimeoutMs ?? 120_000;
  const wanted = opts.boltPort ?? 7687;

  await ensureNeo4jJars(log);
  for (const d of HOME_SUBDIRS) fs.mkdirSync(path.join(home, d), { recursive: true });

  return withStartLock(home, timeoutMs, async () => {
    for (const pid of findRunning(home)) {
      const state = readState(home);
      const port = state?.pid === pid ? state.port : confPort(home);
      // Restarting on another port would cut off whoever uses the running server, so make the caller decide.
      if (port !== undefined && wanted !== 0 && wanted !== port) {
        throw new Error(`cmdb: the Neo4j of ${home} already runs on port ${port} (pid ${pid}), not ${wanted}; use port ${port} or stop it first (npm run neo4j:stop)`);
      }
      // It may still be starting (another process launched it moments ago), so give it the full start budget.
      if (!authEnabled(home)) {
        // Started before the local server required a password: anyone on the machine could write to it.
        log(`the running Neo4j (pid ${pid}) runs without authentication; restarting it with a password`);
        await terminate(pid, home, log);
        continue;
      }
      if (port !== undefined && (await waitForBolt(port, home, () => !isOurs(pid, home), timeoutMs)) === 'up') {
        log(`reusing the running Neo4j (pid ${pid}) on bolt://127.0.0.1:${port}`);
        return handle(home, pid, port, true, log);
      }
      log(`the running Neo4j (pid ${pid}) does not answer; restarting it`);
      await terminate(pid, home, log);
    }
    return launch(home, wanted, timeoutMs, opts, log);
  });
}

async function launch(home: string, wanted: number, timeoutMs: number, opts: LocalNeo4jOptions, log: (m: string) => void): Promise<LocalNeo4j> {
  removeStaleFiles(home);

  const port = await listenProbe(wanted);
  if (port === undefined) {
    throw new Error(`cmdb: cannot start the local Neo4j: port ${wanted} on 127.0.0.1 is already in use by another process; choose another Bolt port or stop that process`);
  }

  const conf = { homeDir: home, boltPort: port, heapMax: opts.heapMax ?? '1g', pageCache: opts.pageCache ?? '512m', settings: opts.settings };
  fs.writeFileSync(path.join(home, 'conf', 'neo4j.conf'), renderNeo4jConf(conf));
  const consoleLog = path.join(home, 'logs', 'console.log');
  fs.appendFileSync(consoleLog, `--- cmdb: starting Neo4j on port ${port} at ${new Date().toISOString()} ---\n`);
  const out = fs.openSync(consoleLog, 'a');
  let exited = false;
  let spawnError: Error | undefined;
  // detached: own process group, so neither a Ctrl-C in the terminal nor the death of this process takes it down.
  const child = spawn('java', jvmArgs(conf), { cwd: home, detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out); // the child holds its own copy
  child.once('error', (e) => (spawnError = e));
  child.once('exit', () => (exited = true));
  child.unref();
  if (child.pid === undefined) {
    await sleep(0); // let the 'error' event land
    throw new Error(`${JAVA_MISSING} (${spawnError?.message ?? 'spawn java failed'})`);
  }
  const pid = child.pid;
  const state: State = { pid, port, startedAt: new Date().toISOString() };
  fs.writeFileSync(statePath(home), JSON.stringify(state, null, 2) + '\n');
  log(`starting Neo4j (pid ${pid}) on bolt://127.0.0.1:${port}, home ${home}`);

  const began = Date.now();
  const result = await waitForBolt(port, home, () => exited || !isAlive(pid), timeoutMs);
  if (result === 'up') {
    log(`Neo4j is up after ${((Date.now() - began) / 1000).toFixed(1)}s`);
    return handle(home, pid, port, false, log);
  }
  if (result === 'timeout') await terminate(pid, home, log).catch(() => undefined);
  fs.rmSync(statePath(home), { force: true });
  const why = result === 'exited' ? 'exited during start' : `did not answer on port ${port} within ${timeoutMs / 1000}s`;
  throw new Error(`cmdb: the local Neo4j ${why}${logTail(home)}`);
}

/** Stops whatever server runs from homeDir (e.g. left by `npm run neo4j:start`). Resolves false when none was running. */
export async function stopLocalNeo4jAt(homeDir: string, log: (msg: string) => void = () => undefined): Promise<boolean> {
  const home = path.resolve(homeDir);
  const pids = findRunning(home);
  for (const pid of pids) {
    log(`stopping Neo4j (pid ${pid})`);
    await terminate(pid, home, log);
  }
  fs.rmSync(statePath(home), { force: true });
  return pids.length > 0;
}
