#!/usr/bin/env node
// `npx cmdb`: the command is TypeScript compiled into dist/. In a checkout it is brought up to date first (a
// quick check when nothing changed), so it works right after `npm install` and after a `git pull`.
const { spawnSync } = require('child_process');
const { existsSync } = require('fs');
const { join } = require('path');

const root = join(__dirname, '..');
const entry = join(root, 'dist', 'src', 'cli', 'cmdb.js');
const build = join(root, 'scripts', 'build.mjs');
if (existsSync(build)) {
  // stdout stays the command's own (--json is read by scripts); the build's messages are not wanted there.
  const r = spawnSync(process.execPath, [build], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) {
    process.stderr.write('cmdb: building the command failed; run `npm run build` in the project to see why\n');
    process.exit(1);
  }
}
if (!existsSync(entry)) {
  process.stderr.write(`cmdb: ${entry} is missing; run \`npm run build\` in the project\n`);
  process.exit(1);
}
require(entry).main(process.argv);
