import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { loadCatalog } from '../src/model/load-catalog';
import { projectRoot } from '../src/project-root';
import { openBenchNeo4j } from './bench-neo4j';
import { runReconcileBench } from './reconcile.bench';

/**
 * `npm run bench`: each measurement runs against a baseline in the same process and reports the ratio.
 * BENCH_BATCHES (default 20 = 100,000 CIs, 150,000 relationships) scales the reconcile benchmark.
 */
async function main(): Promise<void> {
  const log = (m: string) => console.log(`[bench] ${m}`);
  const catalog = loadCatalog();
  const db = await openBenchNeo4j(log);
  try {
    const batches = Number(process.env.BENCH_BATCHES ?? 20);
    const r = await runReconcileBench(db.client, catalog, batches, log);
    const lines = [
      `reconcile: ${r.cis} CIs, ${r.relationships} relationships in batches of 5,000`,
      `  baseline (UNWIND ... MERGE): ${Math.round(r.baselineCisPerSecond)} CIs/s`,
      `  reconcile engine:            ${Math.round(r.engineCisPerSecond)} CIs/s`,
      `  ratio engine/baseline:       ${r.ratio.toFixed(2)}`,
    ];
    console.log(lines.join('\n'));
    const dir = join(projectRoot(), 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'reconcile.json'), JSON.stringify({ at: new Date().toISOString(), ...r }, null, 2));
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
