#!/usr/bin/env node
/**
 * `cmdb`: the hub from the command line. `cmdb import <connector> <file...|->` feeds a tool's output through the
 * connector into reconcile over HTTP (CMDB_URL, CMDB_TOKEN), so it runs the same on the hub's machine, a scanner host
 * or in a CronJob. Exit codes: 0 all loaded, 3 loaded with per-record problems, 1 the run failed, 2 usage error.
 */
import { createReadStream, existsSync } from 'fs';
import { Command, CommanderError, Option } from 'commander';
import { HubClient } from '../connectors/api-client';
import { CONNECTORS } from '../connectors/registry';
import { exitCodeOf, fromFiles, ImportReport, runImport } from '../connectors/run-import';
import { localToken } from '../auth/bootstrap-admin';
import { readConfig } from '../server/config';
import { hostname } from 'os';
import { discoverLocalhost } from '../connectors/localhost/localhost.discovery';

const EXIT_USAGE = 2;

function hubFrom(opts: { url?: string; token?: string }): HubClient {
  const config = readConfig();
  const url = opts.url ?? `http://localhost:${config.port}/graphql`;
  // Like npm run demo: the token given, else the admin token of a hub on this machine.
  return new HubClient(url, opts.token ?? localToken(config.dataDir));
}

function summary(r: ImportReport): string {
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

export function program(): Command {
  const cmd = new Command('cmdb')
    .description('The GraphQL CMDB from the command line')
    .addOption(new Option('--url <url>', 'GraphQL endpoint of the hub').env('CMDB_URL'))
    .addOption(new Option('--token <token>', 'API token (default: the local admin token)').env('CMDB_TOKEN'))
    .exitOverride()
    .showHelpAfterError();
  cmd.command('import')
    .description(`Import a tool's output through a connector (${[...CONNECTORS.keys()].join(', ')})`)
    .argument('<connector>', 'the connector')
    .argument('<files...>', 'files of the tool\'s output, or - for standard input')
    .option('--source <name>', 'the data source to report as (default: the connector\'s name)')
    .option('--scope <scope>', 'what this run covers (default: default); a FULL run marks what it no longer reports in this scope only', 'default')
    .option('--full', 'a FULL run: afterwards, what the scope no longer reports is handled per the source\'s policy')
    .option('--delta', 'a DELTA run: only what is reported changes (the default)')
    .option('--dry-run', 'answer what would change, write nothing')
    .option('--json', 'print the whole report as JSON')
    .action(async (name: string, files: string[], o: { source?: string; scope: string; full?: boolean; delta?: boolean; dryRun?: boolean; json?: boolean }) => {
      const connector = CONNECTORS.get(name);
      if (!connector) throw new CommanderError(EXIT_USAGE, 'cmdb.connector', `unknown connector '${name}'; one of ${[...CONNECTORS.keys()].join(', ')}`);
      if (o.full && o.delta) throw new CommanderError(EXIT_USAGE, 'cmdb.mode', '--full and --delta exclude each other');
      for (const f of files) if (f !== '-' && !existsSync(f)) throw new CommanderError(EXIT_USAGE, 'cmdb.file', `no such file: ${f}`);
      const inputs = files.map((f) => ({ stream: f === '-' ? process.stdin : createReadStream(f), file: f === '-' ? 'stdin' : f }));
      const report = await runImport(connector, hubFrom(cmd.opts()), fromFiles(connector, inputs), {
        source: o.source ?? connector.defaultSource, scope: o.scope, mode: o.full ? 'FULL' : 'DELTA', dryRun: o.dryRun ?? false,
        onProgress: o.json ? undefined : (p) => process.stderr.write(`${p.records} records, ${p.batches} batches loaded\n`),
      });
      process.stdout.write(o.json ? `${JSON.stringify(report, null, 2)}\n` : `${summary(report)}\n`);
      process.exitCode = exitCodeOf(report);
    });
  cmd.command('discover')
    .description('Discover a target and load it (localhost: this machine, its interfaces and addresses)')
    .argument('<target>', 'localhost')
    .option('--source <name>', 'the data source to report as', 'localhost')
    .option('--json', 'print the whole report as JSON')
    .action(async (target: string, o: { source: string; json?: boolean }) => {
      if (target !== 'localhost') throw new CommanderError(EXIT_USAGE, 'cmdb.target', `unknown target '${target}'; only localhost can be discovered`);
      async function* one() {
        yield discoverLocalhost();
      }
      const report = await runImport({ name: 'localhost' }, hubFrom(cmd.opts()), one(), { source: o.source, scope: hostname(), mode: 'FULL', dryRun: false });
      process.stdout.write(o.json ? `${JSON.stringify(report, null, 2)}\n` : `${summary(report)}\n`);
      process.exitCode = exitCodeOf(report);
    });
  return cmd;
}

if (require.main === module) {
  program().parseAsync(process.argv).catch((e: unknown) => {
    if (e instanceof CommanderError) {
      if (e.exitCode !== 0 && !e.message.startsWith('error:') && e.code.startsWith('cmdb.')) process.stderr.write(`cmdb: ${e.message}\n`);
      process.exit(e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? 0 : EXIT_USAGE);
    }
    process.stderr.write(`cmdb: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
