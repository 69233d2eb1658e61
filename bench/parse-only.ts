/**
 * Reads a file through a connector without loading it, in a process of its own, and prints what it took:
 * `node --max-old-space-size=48 dist/bench/parse-only.js csv big.csv mapping.yaml`. A run that completes under a
 * small heap limit shows the parser's memory does not grow with the file.
 */
import { createReadStream, statSync } from 'fs';
import { CONNECTORS } from '../src/connectors/registry';
import { fromFiles } from '../src/connectors/run-import';

async function main(): Promise<void> {
  const [name, file, mappingFile] = process.argv.slice(2);
  const connector = CONNECTORS.get(name);
  if (!connector || !file) throw new Error('usage: parse-only <connector> <file> [mapping]');
  const started = Date.now();
  let records = 0;
  let items = 0;
  for await (const g of fromFiles(connector, { scope: 'bench', mappingFile }, [{ stream: createReadStream(file), file }])) {
    records++;
    items += g.items.length;
  }
  const ms = Date.now() - started;
  console.log(JSON.stringify({ connector: name, records, items, ms, fileMb: Math.round(statSync(file).size / 1048576), peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
