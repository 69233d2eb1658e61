#!/usr/bin/env node
// Bundles the explorer (web/explorer/) into dist/explorer/ with esbuild: explorer.js (cytoscape, dagre and the page,
// minified), explorer.css and index.html, which src/server/explorer.ts serves at /explorer. No CDN: it works offline.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = join(root, 'web', 'explorer');
const outDir = join(root, 'dist', 'explorer');
const out = { js: join(outDir, 'explorer.js'), css: join(outDir, 'explorer.css'), html: join(outDir, 'index.html') };

const esbuild = await import('esbuild');
mkdirSync(outDir, { recursive: true });
await esbuild.build({
  absWorkingDir: root, entryPoints: [join(srcDir, 'main.js')], outfile: out.js, bundle: true, minify: true, format: 'iife',
  platform: 'browser', target: ['es2020'], legalComments: 'none', logLevel: 'warning',
});
copyFileSync(join(srcDir, 'explorer.css'), out.css);
const version = (file) => createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 12);
const LIFECYCLES = ['PLANNED', 'INSTALLED', 'IN_USE', 'IN_MAINTENANCE', 'STALE', 'RETIRED'];
writeFileSync(out.html, `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>CMDB explorer</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="/explorer/explorer.css?v=${version(out.css)}" />
  </head>
  <body>
    <div id="explorer" data-endpoint="/graphql">
      <header>
        <h1>CMDB explorer</h1>
        <div id="token-bar"></div>
        <a href="/graphiql">GraphiQL</a>
      </header>
      <div id="toolbar">
        <label for="depth">Depth</label>
        <select id="depth"><option>1</option><option selected>2</option><option>3</option></select>
        <label for="types">Relationship types</label>
        <input id="types" placeholder="all, or DEPENDS_ON, RUNS_ON" size="18" />
        <label for="colour-by">Colour</label>
        <select id="colour-by"><option value="class">by class</option><option value="health">by operational state</option></select>
        <label for="as-of">As of</label>
        <input id="as-of" type="datetime-local" step="1" title="Redraw the map as it was then (empty: now)" />
        <button id="impact" type="button" title="Fail the CIs selected on the map (or the one opened) and colour the blast radius">Impact of failure</button>
        <button id="impact-alerts" type="button" title="Fail the CIs alerting now">Impact of alerts now</button>
        <button id="health" type="button">CMDB health</button>
        <a id="open-graphiql" href="/graphiql">Open this query in GraphiQL</a>
        <span id="status" class="status" role="status" aria-live="polite"></span>
      </div>
      <aside>
        <label for="search">Find a CI</label>
        <input id="search" type="search" placeholder="name contains…" autocomplete="off" />
        <div>
          <select id="class-filter" aria-label="Class"><option value="">any class</option></select>
          <input id="env-filter" placeholder="environment" size="10" aria-label="Environment" />
          <select id="lifecycle-filter" aria-label="Lifecycle"><option value="">any lifecycle</option>${LIFECYCLES.map((l) => `<option>${l}</option>`).join('')}</select>
        </div>
        <ul id="results"></ul>
      </aside>
      <main id="map" tabindex="0" aria-label="Neighbourhood map: click a CI for its details (in an impact, its explaining path), double-click to add its neighbours; arrows pan, + and - zoom, 0 fits, n and p select the next or previous node, Enter opens it"></main>
      <div id="side"><div id="services"></div><div id="details"><p class="muted">Find a CI, then open it: its neighbourhood is drawn here, and its details on this side.</p></div></div>
    </div>
    <script src="/explorer/explorer.js?v=${version(out.js)}"></script>
  </body>
</html>
`);
const kib = (file) => `${(statSync(file).size / 1024).toFixed(0)} KiB`;
console.log(`explorer: built ${relative(root, outDir)}/ (explorer.js ${kib(out.js)}, explorer.css ${kib(out.css)})`);
