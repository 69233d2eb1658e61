/** `cmdb import` and `cmdb discover`: a tool's output through a connector into reconcile, with progress and a summary. */
import { createReadStream, existsSync, statSync } from 'fs';
import { hostname } from 'os';
import { Command } from 'commander';
import { ConnectorRun, ParseError } from '../connectors/contract';
import { CONNECTORS } from '../connectors/registry';
import { exitCodeOf, fromRun, ImportReport, Interrupted, runImport } from '../connectors/run-import';
import { discoverLocalhost } from '../connectors/localhost/localhost.discovery';
import { hubFrom, HubOptions } from './hub';
import { ByteCounter, ImportProgress } from './progress';
import { usageError } from './usage-error';

export function summary(r: ImportReport): string {
  const t = r.totals;
  const lines = [
    `${r.connector} → ${r.source} (scope ${r.scope}, ${r.mode}${r.dryRun ? ', dry run' : ''}): ${r.status === 'SUCCEEDED' ? 'done' : 'FAILED'} in ${(r.ms / 1000).toFixed(1)}s`,
    `  ${r.records} records, ${r.items} items in ${r.batches} batches: ${t.created} created, ${t.updated} updated, ${t.noChange} unchanged, ${t.errors} errors; ` +
      `relationships: ${t.relationshipsCreated} created, ${t.relationshipErrors} errors`,
  ];
  if (r.cleanup) lines.push(`  cleanup: ${Object.entries(r.cleanup).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  for (const p of r.problems.slice(0, 20)) lines.push(`  problem: ${p.file} ${p.at}${p.key ? ` (${p.key})` : ''}: ${p.field}: ${p.reason}`);
  if (r.problems.length > 20) lines.push(`  ... and ${r.problems.length - 20} more problems (--json lists them all)`);
  if (r.failure) lines.push(`  failed: ${r.failure}`, '  nothing was cleaned up; fix the cause and run again');
  return lines.join('\n');
}

/** Ctrl-C or a CronJob's SIGTERM ends the run FAILED (no cleanup) instead of leaving it RUNNING. */
function interruptible(): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return { signal: controller.signal, release: () => { process.off('SIGINT', stop); process.off('SIGTERM', stop); } };
}

function print(report: ImportReport, json: boolean | undefined): void {
  // The connector's own footprint, for sizing a scanner host or a CronJob's memory limit.
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stdout.write(json ? `${JSON.stringify({ ...report, peakRssMb }, null, 2)}\n` : `${summary(report)}\n  peak memory ${peakRssMb} MB\n`);
  process.exitCode = exitCodeOf(report);
}

interface ImportFlags { source?: string; scope?: string; full?: boolean; delta?: boolean; dryRun?: boolean; json?: boolean; mapping?: string; batchSize?: string }

export function addImportCommands(cmd: Command): void {
  cmd.command('import')
    .description(`Import a tool's output through a connector (${[...CONNECTORS.keys()].join(', ')})`)
    .argument('<connector>', 'the connector')
    .argument('<files...>', 'files of the tool\'s output, or - for standard input')
    .option('--source <name>', 'the data source to report as (default: the connector\'s name)')
    .option('--scope <scope>', 'what this run covers (a cluster, account/region, state file); a FULL run marks what it no longer reports in this scope only')
    .option('--full', 'a FULL run: afterwards, what the scope no longer reports is handled per the source\'s policy')
    .option('--delta', 'a DELTA run: only what is reported changes (the default)')
    .option('--dry-run', 'answer what would change, write nothing')
    .option('--mapping <file>', 'a mapping file to use instead of the connector\'s own mapping.yaml (required by csv)')
    .option('--batch-size <n>', 'items per reconcile call', '500')
    .option('--json', 'print the whole report as JSON')
    .action(async (name: string, files: string[], o: ImportFlags) => {
      const connector = CONNECTORS.get(name);
      if (!connector) throw usageError('connector', `unknown connector '${name}'; one of ${[...CONNECTORS.keys()].join(', ')}`);
      if (o.full && o.delta) throw usageError('mode', '--full and --delta exclude each other');
      const batchSize = Number(o.batchSize);
      if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 5000) throw usageError('batch', `--batch-size must be a whole number from 1 to 5000, got '${o.batchSize}'`);
      const scope = o.scope ?? connector.scopeFromFiles?.(files) ?? connector.defaultScope;
      if (!scope) throw usageError('scope', `the ${name} connector needs --scope (${connector.scopeHint ?? 'what this run covers'})`);
      if (files.filter((f) => f === '-').length > 1) throw usageError('file', 'standard input (-) can be given once');
      for (const f of files) if (f !== '-' && !existsSync(f)) throw usageError('file', `no such file: ${f}`);
      if (o.mapping && !existsSync(o.mapping)) throw usageError('mapping', `no such mapping file: ${o.mapping}`);
      const counter = new ByteCounter();
      const inputs = files.map((f) => ({ stream: (f === '-' ? process.stdin : createReadStream(f)).pipe(counter.through()), file: f === '-' ? 'stdin' : f }));
      const total = files.includes('-') ? null : files.reduce((n, f) => n + statSync(f).size, 0);
      const progress = o.json ? null : new ImportProgress(counter, total, Boolean(process.stderr.isTTY));
      const { signal, release } = interruptible();
      // A parser waiting for input (a pipe that stays open) stops too.
      signal.addEventListener('abort', () => { for (const i of inputs) i.stream.destroy(new Interrupted()); });
      try {
        let run: ConnectorRun;
        try {
          run = connector.start({ scope, mappingFile: o.mapping });
        } catch (e) {
          // A missing or malformed mapping is the command line's to fix: nothing has started yet.
          if (e instanceof ParseError) throw usageError('mapping', e.message);
          throw e;
        }
        const report = await runImport(connector, hubFrom(cmd.opts<HubOptions>()), fromRun(run, inputs), {
          refersAcrossRecords: run.refersAcrossRecords,
          source: o.source ?? connector.defaultSource, sourceKind: connector.sourceKind, scope, mode: o.full ? 'FULL' : 'DELTA', dryRun: o.dryRun ?? false,
          batchSize, signal, onProgress: progress ? (p) => progress.update(p) : undefined,
        });
        progress?.stop();
        print(report, o.json);
      } finally {
        progress?.stop();
        release();
      }
    });
  cmd.command('discover')
    .description('Discover a target and load it (localhost: this machine, its interfaces and addresses)')
    .argument('<target>', 'localhost')
    .option('--source <name>', 'the data source to report as', 'localhost')
    .option('--json', 'print the whole report as JSON')
    .action(async (target: string, o: { source: string; json?: boolean }) => {
      if (target !== 'localhost') throw usageError('target', `unknown target '${target}'; only localhost can be discovered`);
      async function* one() {
        yield discoverLocalhost();
      }
      const report = await runImport({ name: 'localhost' }, hubFrom(cmd.opts<HubOptions>()), one(), { source: o.source, sourceKind: 'DISCOVERY', scope: hostname(), mode: 'FULL', dryRun: false });
      print(report, o.json);
    });
}
