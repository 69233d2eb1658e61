#!/usr/bin/env node
// Copies the Neo4j Community jars listed in neo4j/pom.xml into neo4j/lib, so the local server needs only a JDK.
// `--soft` (npm postinstall): a missing JDK/Maven or a failed download warns but exits 0, so `npm install` still works
// for people who point NEO4J_URI at an existing server.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const soft = process.argv.includes('--soft');
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const neo4jDir = join(root, 'neo4j');
const libDir = join(neo4jDir, 'lib');
const marker = join(libDir, '.installed');

function finish(code, message) {
  if (message) (code === 0 ? console.log : console.error)(`cmdb: ${message}`);
  process.exit(soft ? 0 : code);
}

if (soft && process.env.NEO4J_URI) {
  finish(0, 'NEO4J_URI is set; skipping the local Neo4j install (run `npm run neo4j:install` to install it anyway)');
}

const pom = readFileSync(join(neo4jDir, 'pom.xml'), 'utf8');
const version = /<neo4j\.version>\s*([^<\s]+)\s*<\/neo4j\.version>/.exec(pom)?.[1];
if (!version) finish(1, 'neo4j/pom.xml has no <neo4j.version> property');

if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === version) process.exit(0);

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

// Windows needs a shell to run java/mvn(.cmd) from PATH; elsewhere spawn them directly.
const run = (cmd, args, opts = {}) =>
  spawnSync(cmd, args, { encoding: 'utf8', shell: process.platform === 'win32', ...opts });

const java = run('java', ['-version']);
const javaOut = `${java.stderr ?? ''}${java.stdout ?? ''}`;
const javaVersion = /version "(\d+)(?:\.(\d+))?/.exec(javaOut);
const javaMajor = javaVersion ? (javaVersion[1] === '1' ? Number(javaVersion[2]) : Number(javaVersion[1])) : 0;
if (java.error || java.status !== 0 || javaMajor < 17) {
  const found = javaMajor ? ` (found Java ${javaMajor})` : '';
  finish(
    1,
    `Java 17+ is required to run the local Neo4j${found}; install a JDK 17 (e.g. apt-get install openjdk-17-jdk) or set NEO4J_URI to use an existing server`,
  );
}

const mvn = run('mvn', ['-v']);
if (mvn.error || mvn.status !== 0) {
  finish(
    1,
    'Maven is required to fetch the Neo4j jars; install it (e.g. apt-get install maven) or set NEO4J_URI to use an existing server',
  );
}

// Download into a sibling folder and swap it in with renames, so an interrupted run never leaves a half-filled lib/
// that looks installed.
for (const name of readdirSync(neo4jDir)) {
  const leftover = /^lib\.(?:tmp|old)-(\d+)$/.exec(name);
  if (leftover && !isAlive(Number(leftover[1]))) rmSync(join(neo4jDir, name), { recursive: true, force: true });
}
const tmpDir = join(neo4jDir, `lib.tmp-${process.pid}`);
const oldDir = join(neo4jDir, `lib.old-${process.pid}`);
rmSync(tmpDir, { recursive: true, force: true });
mkdirSync(tmpDir, { recursive: true });
console.log(`cmdb: fetching the Neo4j ${version} jars with Maven into neo4j/lib ...`);
const copy = run(
  'mvn',
  ['-B', '-q', 'dependency:copy-dependencies', `-DoutputDirectory=${tmpDir}`, '-DincludeScope=runtime'],
  // Captured rather than inherited: even with -q, Maven prints stray ANSI codes; its output matters only on failure.
  { cwd: neo4jDir, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 },
);
if (copy.error || copy.status !== 0) {
  rmSync(tmpDir, { recursive: true, force: true });
  const output = `${copy.stdout ?? ''}${copy.stderr ?? ''}`.replace(/\x1b\[[0-9;]*m/g, '').trim();
  if (output) console.error(output);
  finish(1, `Maven could not fetch the Neo4j ${version} jars (exit ${copy.status ?? copy.error?.message}); see the output above`);
}
writeFileSync(join(tmpDir, '.installed'), `${version}\n`);
if (existsSync(libDir)) renameSync(libDir, oldDir);
renameSync(tmpDir, libDir);
rmSync(oldDir, { recursive: true, force: true });
console.log(`cmdb: Neo4j ${version} installed in neo4j/lib`);
