#!/usr/bin/env node
// `npm run build`: compiles TypeScript into dist/ and bundles the GraphiQL page and the explorer, unless nothing they are built
// from changed since the last successful build (then it returns at once, so `npm start` restarts in seconds).
// Inputs are compared by modification time, directories included, so an added, edited or deleted file rebuilds.
// tsc runs incrementally (dist/.tsbuildinfo) when it does run. --force rebuilds everything.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist', '.build-stamp');
const force = process.argv.includes('--force');
const inputs = ['src', 'scripts', 'bench', 'web', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json'];

function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const entry of readdirSync(path)) max = Math.max(max, newest(join(path, entry)));
  return max;
}

const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
const changed = Math.max(...inputs.map((p) => newest(join(root, p))));
if (!force && built > changed) {
  console.log('build: up to date');
  process.exit(0);
}

rmSync(stamp, { force: true });
if (force) rmSync(join(root, 'dist', '.tsbuildinfo'), { force: true });
const run = (args) => {
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
run([join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json']);
run([join(root, 'scripts', 'build-graphiql.mjs'), ...(force ? ['--force'] : [])]);
run([join(root, 'scripts', 'build-explorer.mjs')]);
writeFileSync(stamp, `${new Date().toISOString()}\n`);
