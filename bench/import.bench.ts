/**
 * The import benchmark: 100,000 records of a CSV file through `cmdb import csv` (a separate process parsing,
 * batching and posting over HTTP), against the same batches posted to the same API directly from this process,
 * already parsed. The ratio CLI/direct says what the connector's parsing, batching and process cost; the CLI
 * reports its own peak memory (bounded: the file is streamed).
 */
import { spawn } from 'child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'fs';
import { AddressInfo } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { HubClient } from '../src/connectors/api-client';
import { csvConnector } from '../src/connectors/csv/csv.connector';
import { RecordGroup } from '../src/connectors/contract';
import { fromFiles } from '../src/connectors/run-import';
import { Neo4jClient } from '../src/graph/client';
import { ensureSchema } from '../src/graph/schema-bootstrap';
import { Catalog } from '../src/model/catalog';
import { createLogger } from '../src/observability/logger';
import { projectRoot } from '../src/project-root';
import { createApp } from '../src/server/app';
import { seconds, wipe } from './bench-neo4j';

/** Parsing alone, in a process with a small heap limit, of a file much larger than the import benchmark's. */
export interface ParseOnlyResult { connector: string; records: number; items: number; ms: number; fileMb: number; peakRssMb: number; heapLimitMb: number }

export interface ImportBenchResult {
  records: number;
  batchSize: number;
  directMs: number;
  cliMs: number;
  directRecordsPerSecond: number;
  cliRecordsPerSecond: number;
  ratio: number;
  cliPeakRssMb: number;
  fileMb: number;
  parseOnly: ParseOnlyResult[];
}

const PARSE_HEAP_MB = 48;

function parseOnly(connector: string, file: string, mappingFile?: string): Promise<ParseOnlyResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${PARSE_HEAP_MB}`, join(projectRoot(), 'dist', 'bench', 'parse-only.js'), connector, file, ...(mappingFile ? [mappingFile] : [])],
      { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', (status) => (status === 0 ? resolve({ ...JSON.parse(out), heapLimitMb: PARSE_HEAP_MB }) : reject(new Error(`parse-only ${connector} exited ${status}`))));
  });
}

/** A ServiceNow export of about `mb` MB: records with every field a cmdb_ci_linux_server answer has, written streaming. */
async function writeServiceNowExport(file: string, mb: number): Promise<void> {
  const out = createWriteStream(file);
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  await write('{"result":[');
  const filler = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`u_field_${i}`, '']));
  let bytes = 0;
  for (let n = 0; bytes < mb * 1048576; n++) {
    const rec = JSON.stringify({ sys_id: n.toString(16).padStart(32, '0'), sys_class_name: 'cmdb_ci_linux_server', name: `srv-${n}`, host_name: `srv-${n}.bench.example`,
      serial_number: `SN-${n}`, ip_address: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`, os: 'Linux Red Hat', cpu_count: '8',
      model_id: { link: `https://example.service-now.com/api/now/table/cmdb_model/${n}`, value: String(n) }, ...filler });
    bytes += rec.length + 1;
    await write(`${n ? ',' : ''}${rec}`);
  }
  await write(']}');
  await new Promise<void>((r) => out.end(() => r()));
}

const MAPPING = `key: asset
class: LinuxServer
attributes:
  hostname: hostname
  domain: domain
  serialNumber: serial
  ipAddresses: { list: [ip] }
  cpuCount: cpu | number
  memoryGb: ram | number
  osName: os
`;

function writeCsv(file: string, records: number): void {
  const lines = ['asset,hostname,domain,serial,ip,cpu,ram,os'];
  for (let n = 0; n < records; n++) {
    lines.push(`A${n},srv-${n},bench.example,SN-${n},10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255},${8 + (n % 4) * 8},${64 + (n % 3) * 64},Debian GNU/Linux 12`);
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
}

const RECONCILE = 'mutation BenchBatch($input: ReconcileInput!) { reconcile(input: $input) { totals { created errors } } }';

/** The batches the CLI sends (whole records, `batchSize` items each), parsed before timing starts. */
async function batchesOf(file: string, mappingFile: string, batchSize: number): Promise<RecordGroup['items'][]> {
  const out: RecordGroup['items'][] = [];
  let current: RecordGroup['items'] = [];
  for await (const g of fromFiles(csvConnector, { scope: 'bench', mappingFile }, [{ stream: createReadStream(file), file }])) {
    current.push(...g.items);
    if (current.length >= batchSize) {
      out.push(current);
      current = [];
    }
  }
  if (current.length) out.push(current);
  return out;
}

async function direct(hub: HubClient, batches: RecordGroup['items'][], source: string): Promise<number> {
  await hub.request('mutation($n: String!) { registerSource(input: { name: $n, kind: IMPORT }) { name } }', { n: source });
  const t = Date.now();
  const { startSyncRun } = await hub.request<{ startSyncRun: { id: string } }>('mutation($s: String!) { startSyncRun(source: $s, scope: "bench", mode: FULL) { id } }', { s: source });
  for (const items of batches) await hub.request(RECONCILE, { input: { source, runId: startSyncRun.id, items } });
  await hub.request('mutation($id: ID!) { finishSyncRun(runId: $id, status: SUCCEEDED) { id } }', { id: startSyncRun.id });
  return Date.now() - t;
}

function cli(url: string, token: string, file: string, mappingFile: string, batchSize: number): Promise<{ ms: number; report: any }> {
  return new Promise((resolve, reject) => {
    const t = Date.now();
    // The CLI runs with a small old space (BENCH_CLI_HEAP_MB, default 96): it finishing at all shows memory stays bounded.
    const heap = `--max-old-space-size=${Number(process.env.BENCH_CLI_HEAP_MB ?? 96)}`;
    const child = spawn(process.execPath, [heap, join(projectRoot(), 'dist', 'src', 'cli', 'cmdb.js'), 'import', 'csv', file, '--mapping', mappingFile,
      '--source', 'bench-cli', '--scope', 'bench', '--full', '--json', '--batch-size', String(batchSize)], {
      env: { ...process.env, CMDB_URL: url, CMDB_TOKEN: token }, stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', (status) => {
      const ms = Date.now() - t;
      try {
        resolve({ ms, report: JSON.parse(out) });
      } catch {
        reject(new Error(`cmdb import exited ${status}: ${out.slice(0, 500)}`));
      }
    });
  });
}

export async function runImportBench(client: Neo4jClient, catalog: Catalog, records: number, log: (m: string) => void): Promise<ImportBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'cmdb-import-bench-'));
  const file = join(dir, 'servers.csv');
  const mappingFile = join(dir, 'mapping.yaml');
  writeCsv(file, records);
  writeFileSync(mappingFile, MAPPING);
  const batchSize = 500;
  const app = await createApp({ client, catalog, logger: createLogger({ level: 'warn' }) });
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}/graphql`;
  try {
    const batches = await batchesOf(file, mappingFile, batchSize);
    // Each pass starts from an empty graph (tokens included), so both create every CI.
    const fresh = async () => {
      await wipe(client);
      await ensureSchema(client, catalog);
      return (await app.tokens.create({ name: `bench-${Date.now()}`, role: 'admin' }, 'system')).token;
    };
    // Warm-up (the first writes to a fresh Neo4j are slow), so that neither measured pass pays for it.
    await direct(new HubClient(url, await fresh()), batches.slice(0, Math.max(1, Math.ceil(batches.length / 10))), 'bench-warmup');
    const directMs = await direct(new HubClient(url, await fresh()), batches, 'bench-direct');
    log(`direct: ${records} records in ${batches.length} batches in ${seconds(directMs)} s`);

    const run = await cli(url, await fresh(), file, mappingFile, batchSize);
    // Bounded memory at sizes the import itself would take long to load: a 1,000,000-line CSV and a large JSON export.
    const bigCsv = join(dir, 'million.csv');
    writeCsv(bigCsv, Number(process.env.BENCH_PARSE_CSV_LINES ?? 1_000_000));
    const parsedCsv = await parseOnly('csv', bigCsv, mappingFile);
    rmSync(bigCsv);
    log(`parse only, csv: ${parsedCsv.records} records (${parsedCsv.fileMb} MB) in ${seconds(parsedCsv.ms)} s, peak memory ${parsedCsv.peakRssMb} MB`);
    const bigJson = join(dir, 'export.json');
    await writeServiceNowExport(bigJson, Number(process.env.BENCH_PARSE_JSON_MB ?? 500));
    const parsedJson = await parseOnly('servicenow', bigJson);
    rmSync(bigJson);
    log(`parse only, servicenow: ${parsedJson.records} records (${parsedJson.fileMb} MB) in ${seconds(parsedJson.ms)} s, peak memory ${parsedJson.peakRssMb} MB`);
    if (run.report.status !== 'SUCCEEDED' || run.report.totals.created !== records) {
      throw new Error(`the CLI import did not load every record: ${JSON.stringify({ status: run.report.status, failure: run.report.failure, totals: run.report.totals })}`);
    }
    log(`cmdb import csv: ${records} records in ${seconds(run.ms)} s, peak memory ${run.report.peakRssMb} MB`);
    const directRecordsPerSecond = records / (directMs / 1000);
    const cliRecordsPerSecond = records / (run.ms / 1000);
    return {
      records, batchSize, directMs, cliMs: run.ms, directRecordsPerSecond, cliRecordsPerSecond,
      ratio: cliRecordsPerSecond / directRecordsPerSecond, cliPeakRssMb: run.report.peakRssMb,
      fileMb: Math.round((statSync(file).size / 1048576) * 10) / 10,
      parseOnly: [parsedCsv, parsedJson],
    };
  } finally {
    await app.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
