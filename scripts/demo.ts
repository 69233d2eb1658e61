/**
 * `npm run demo`: loads the demo estate (scripts/demo/estate.ts) through the GraphQL API at CMDB_API_URL
 * (default http://localhost:$PORT/graphql, PORT as `npm start` reads it, 4000). When no API answers there, starts one in-process on a free local port,
 * backed by the configured Neo4j (or the project's local one in .neo4j/), loads through it and shuts it down again.
 * Does nothing when the estate is already there.
 */
import 'reflect-metadata';
import type { AddressInfo } from 'net';
import { readConfig } from '../src/server/config';
import { startGraphRuntime, GraphRuntime } from '../src/server/bootstrap';
import { createApp } from '../src/server/app';
import { createLogger } from '../src/observability/logger';
import { ensureAdminToken, localToken } from '../src/auth/bootstrap-admin';
import { buildEstate, Estate } from './demo/estate';
import { apiAnswers, loadEstate, LoadResult } from './demo/load-estate';

const log = (msg: string) => console.log(`[demo] ${msg}`);

function progressPrinter(): (phase: string, done: number, total: number) => void {
  const tty = process.stdout.isTTY;
  return (phase, done, total) => {
    const line = `[demo] ${phase}: ${done}/${total}`;
    if (!tty) console.log(line);
    else process.stdout.write(`\r${line}${done === total ? '\n' : ''}`);
  };
}

function printSummary(result: LoadResult, totalMs: number): void {
  const table = (counts: Record<string, number>) => {
    const rows = Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const width = Math.max(...rows.map(([k]) => k.length));
    return rows.map(([k, n]) => `    ${k.padEnd(width)}  ${String(n).padStart(4)}`).join('\n');
  };
  log(`loaded ${result.cis} CIs in ${Object.keys(result.cisByClass).length} classes:`);
  console.log(table(result.cisByClass));
  log(`and ${result.relationships} relationships (${result.relationshipsCreated} new):`);
  console.log(table(result.relationshipsByType));
  const d = result.discovery;
  if (d) {
    log(`discovery source '${d.source}' reported ${d.items} hypervisors and VMs in a FULL run: ${d.created} created, ${d.updated} updated, ` +
      `${d.noChange} unchanged, ${d.errors} errors (each was identified as the CI entered by hand)`);
  }
  log(`load took ${(result.ms / 1000).toFixed(1)}s (${(totalMs / 1000).toFixed(1)}s in all)`);
}

async function load(url: string, token: string | null, estate: Estate, started: number): Promise<void> {
  const result = await loadEstate(estate, { url, token, onProgress: progressPrinter() });
  if (result.alreadyLoaded) log(`the demo estate is already loaded at ${url} (the Online Shop business service exists); nothing to do`);
  else {
    printSummary(result, Date.now() - started);
    log(`loaded into ${url}`);
  }
}

/** Starts the API in this process on 127.0.0.1, port 0, runs `work` against it, then stops it again. */
async function withInProcessApi(work: (url: string, token: string | null) => Promise<void>): Promise<void> {
  const config = readConfig();
  const runtime: GraphRuntime = await startGraphRuntime(config, (msg) => log(msg));
  try {
    // Its request lines would bury the demo's own output; problems still show.
    const logger = createLogger({ level: 'warn', format: config.logFormat ?? undefined });
    const app = await createApp({ client: runtime.client, catalog: runtime.catalog, development: config.development, logger });
    await new Promise<void>((resolve, reject) => {
      app.httpServer.once('error', reject);
      app.httpServer.listen(0, '127.0.0.1', resolve);
    });
    const { port } = app.httpServer.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}/graphql`;
    log(`in-process API listening at ${url}`);
    const admin = await ensureAdminToken(app.tokens, config.dataDir);
    if (admin.created) log(`created the first admin API token in ${admin.file}`);
    try {
      await work(url, localToken(config.dataDir));
    } finally {
      await app.stop(); // also closes the HTTP server
    }
  } finally {
    if (runtime.local?.reused) {
      // Someone else started this Neo4j (npm run neo4j:start, or a starting API): leave it running for them.
      await runtime.client.close();
    } else {
      await runtime.close();
      if (runtime.local && !config.keepLocalNeo4j) log('stopped the local Neo4j; its data stays in its home folder for the next `npm start`');
    }
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const estate = buildEstate();
  const url = process.env.CMDB_API_URL?.trim() || `http://localhost:${readConfig().port}/graphql`;
  log(`demo estate: ${estate.cis.length} CIs, ${estate.relationships.length} relationships`);
  if (await apiAnswers(url)) {
    log(`mode: remote API at ${url}`);
    const token = localToken(readConfig().dataDir);
    if (!token) throw new Error(`no API token: set CMDB_TOKEN (an editor or admin token), or run this where the server keeps ${readConfig().dataDir}/admin-token`);
    await load(url, token, estate, started);
  } else {
    log(`mode: in-process API (nothing answers at ${url})`);
    await withInProcessApi((inProcessUrl, token) => load(inProcessUrl, token, estate, started));
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`[demo] failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
