#!/usr/bin/env node
// Bundles the GraphiQL page (web/graphiql/) into dist/graphiql/ with esbuild:
//   graphiql.js   - React + GraphiQL + the page script, minified (browser, production)
//   graphiql.css  - GraphiQL's stylesheet (fonts and icons inlined as data: URIs) + page layout
//   index.html    - loads both from /graphiql/; src/server/graphiql.ts fills in the endpoint
// No CDN: everything comes from node_modules, so the page works offline.
// Skips the build when the outputs are newer than the inputs; pass --force to rebuild.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const srcDir = join(root, 'web', 'graphiql');
const entry = join(srcDir, 'main.jsx');
const outDir = join(root, 'dist', 'graphiql');
const out = { js: join(outDir, 'graphiql.js'), css: join(outDir, 'graphiql.css'), html: join(outDir, 'index.html') };
const cssSource = require.resolve('graphiql/graphiql.css');

const filesUnder = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );
const mtime = (file) => statSync(file).mtimeMs;

function upToDate() {
  if (process.argv.includes('--force')) return false;
  const outputs = Object.values(out);
  if (!outputs.every((f) => existsSync(f))) return false;
  const inputs = [
    ...filesUnder(srcDir),
    fileURLToPath(import.meta.url),
    cssSource,
    require.resolve('graphiql/package.json'),
    join(root, 'package.json'),
  ];
  const lock = join(root, 'package-lock.json');
  if (existsSync(lock)) inputs.push(lock);
  return Math.min(...outputs.map(mtime)) >= Math.max(...inputs.map(mtime));
}

const kib = (file) => {
  const bytes = statSync(file).size;
  return bytes < 10240 ? `${bytes} B` : `${(bytes / 1024).toFixed(0)} KiB`;
};
const summary = (verb) =>
  `graphiql: ${verb} ${relative(root, outDir)}/ (graphiql.js ${kib(out.js)}, graphiql.css ${kib(out.css)}, index.html ${kib(out.html)})`;

if (upToDate()) {
  console.log(summary('up to date'));
  process.exit(0);
}

const esbuild = await import('esbuild');
mkdirSync(outDir, { recursive: true });
await esbuild.build({
  absWorkingDir: root,
  entryPoints: [entry],
  outfile: out.js,
  bundle: true,
  minify: true,
  format: 'iife',
  platform: 'browser',
  target: ['es2020'],
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"' },
  legalComments: 'none',
  logLevel: 'warning',
});
// GraphiQL's stylesheet plus the page layout, so index.html needs no inline <style>.
writeFileSync(
  out.css,
  `${readFileSync(cssSource, 'utf8')}\n/* page layout (scripts/build-graphiql.mjs) */\n` +
    'html,body,#graphiql{height:100%;margin:0;overflow:hidden}\n' +
    '.cmdb-token-bar{display:flex;gap:8px;align-items:center;padding:6px 12px;font:14px system-ui,sans-serif;border-bottom:1px solid #ddd}\n' +
    '.cmdb-token-bar input{flex:1;max-width:36em;padding:4px 6px}\n',
);

// Version query strings let the server cache the assets as immutable.
const version = (file) => createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 12);
writeFileSync(
  out.html,
  `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>CMDB GraphiQL</title>
    <link rel="stylesheet" href="/graphiql/graphiql.css?v=${version(out.css)}" />
  </head>
  <body>
    <div id="graphiql" data-endpoint="/graphql">Loading GraphiQL…</div>
    <script src="/graphiql/graphiql.js?v=${version(out.js)}"></script>
  </body>
</html>
`,
);
console.log(summary('built'));
