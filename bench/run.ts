import '../src/server/production-mode';
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { loadCatalog } from '../src/model/load-catalog';
import { projectRoot } from '../src/project-root';
import { openBenchNeo4j } from './bench-neo4j';
import { estateCopies } from './impact-data';
import { runReconcileBench } from './reconcile.bench';
import { formatImpactResult, runImpactBench } from './impact.bench';
import { runImportBench } from './import.bench';
import { formatEventsResult, runEventsBench } from './events.bench';
import { formatHealthResult, runHealthBench } from './health.bench';
import { formatReadResult, runReadBench } from './read.bench';
import { formatPeerResult, runPeerBench } from './peer.bench';
import { BenchResults, formatSummary } from './summary';

const BENCHES = ['reconcile', 'read', 'impact', 'health', 'peer', 'import', 'events'] as const;

/**
 * `npm run bench`: each measurement runs against a baseline in the same process and reports the ratio.
 * BENCH = reconcile | read | impact | health | peer | import | events | all (default) picks the benchmarks.
 * BENCH_IMPORT_RECORDS (default 100,000) sizes the import benchmark.
 * BENCH_BATCHES (default 20 = 100,000 CIs, 150,000 relationships) scales the reconcile benchmark.
 * IMPACT_ESTATE_COPIES (default 1; 10 = about 1,000,000 CIs) scales the estate of read, impact, health, peer and events.
 */
async function main(): Promise<void> {
  const log = (m: string) => console.log(`[bench] ${m}`);
  const which = process.env.BENCH ?? 'all';
  if (which !== 'all' && !(BENCHES as readonly string[]).includes(which)) throw new Error(`BENCH must be one of all, ${BENCHES.join(', ')}; got '${which}'`);
  const run = (name: (typeof BENCHES)[number]) => which === 'all' || which === name;
  const catalog = loadCatalog();
  // Results on a larger estate (IMPACT_ESTATE_COPIES) are kept beside, not over, those of the 100,000-CI one.
  const copies = estateCopies();
  const dir = join(projectRoot(), 'bench', 'results', ...(copies > 1 ? [`estate-x${copies}`] : []));
  const save = (file: string, result: object) => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, file), JSON.stringify({ at: new Date().toISOString(), ...result }, null, 2));
  };
  const db = await openBenchNeo4j(log);
  /** Runs one benchmark if BENCH asks for it, prints its lines and keeps its result in bench/results. */
  const results: BenchResults = {};
  const measure = async <R extends object>(name: (typeof BENCHES)[number], bench: () => Promise<R>, format: (r: R) => string[]) => {
    if (!run(name)) return undefined;
    const r = await bench();
    console.log(format(r).join('\n'));
    save(`${name}.json`, r);
    return r;
  };
  try {
    if (run('reconcile')) {
      const batches = Number(process.env.BENCH_BATCHES ?? 20);
      const r = await runReconcileBench(db.client, catalog, batches, log);
      console.log([
        `reconcile: ${r.cis} CIs, ${r.relationships} relationships in batches of 5,000`,
        `  baseline (UNWIND ... MERGE): ${Math.round(r.baselineCisPerSecond)} CIs/s`,
        `  reconcile engine:            ${Math.round(r.engineCisPerSecond)} CIs/s`,
        `  ratio engine/baseline:       ${r.ratio.toFixed(2)}`,
        `  FULL-run cleanup:            ${r.cleanedCis} CIs no longer reported, handled in ${(r.cleanupMs / 1000).toFixed(1)} s`,
      ].join('\n'));
      const footprint = await db.footprint();
      const loaderPeakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
      console.log(`  Neo4j after the load:       store ${footprint.storeMb ?? '?'} MB on disk, heap ${footprint.heapUsedMb} of ${footprint.heapMaxMb} MB used, page cache ${footprint.pageCache ?? 'as configured'}`);
      console.log(`  the loading process:         peak memory (max RSS) ${loaderPeakRssMb} MB`);
      save('reconcile.json', { ...r, footprint, loaderPeakRssMb });
      results.reconcile = r;
    }
    results.read = await measure('read', () => runReadBench(db.client, catalog, log), formatReadResult);
    results.impact = await measure('impact', () => runImpactBench(db.client, catalog, log), formatImpactResult);
    results.health = await measure('health', () => runHealthBench(db.client, catalog, log), formatHealthResult);
    results.peer = await measure('peer', () => runPeerBench(db.client, catalog, log), formatPeerResult);
    if (run('import')) {
      const r = await runImportBench(db.client, catalog, Number(process.env.BENCH_IMPORT_RECORDS ?? 100_000), log);
      console.log([
        `import: ${r.records} records (${r.fileMb} MB of CSV) in batches of ${r.batchSize}`,
        `  reconcile API directly, batches parsed beforehand: ${Math.round(r.directRecordsPerSecond)} records/s`,
        `  cmdb import csv (separate process, streaming):    ${Math.round(r.cliRecordsPerSecond)} records/s`,
        `  ratio CLI/direct:                                 ${r.ratio.toFixed(2)} (target >= 0.8)`,
        `  CLI peak memory (max RSS):                        ${r.cliPeakRssMb} MB`,
        ...r.parseOnly.map((p) => `  parse only, ${p.connector}, ${p.fileMb} MB, ${p.records} records, heap limit ${p.heapLimitMb} MB: ${(p.ms / 1000).toFixed(1)} s, peak memory ${p.peakRssMb} MB`),
      ].join('\n'));
      save('import.json', r);
    }
    await measure('events', () => runEventsBench(db.client, catalog, log), formatEventsResult);
    console.log(formatSummary(results).join('\n'));
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
