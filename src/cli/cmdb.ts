#!/usr/bin/env node
/**
 * `cmdb`: the hub from the command line. Every command talks to the API over HTTP (CMDB_URL, CMDB_TOKEN), so it
 * runs the same on the hub's machine, a scanner host or in a CronJob, and the API's roles decide who may do what.
 * Exit codes: 0 done (all loaded), 3 loaded with per-record problems, 1 failed, 2 usage error.
 */
import { Command, CommanderError, Option } from 'commander';
import { ApiError } from '../connectors/api-client';
import { addImportCommands } from './import-command';
import { addQueryCommands } from './query-commands';
import { addTokenCommands } from './token-commands';
import { EXIT_USAGE } from './usage-error';

export function program(): Command {
  const cmd = new Command('cmdb')
    .description('The GraphQL CMDB from the command line')
    .addOption(new Option('--url <url>', 'GraphQL endpoint of the hub (default: this machine\'s)').env('CMDB_URL'))
    .addOption(new Option('--token <token>', 'API token (default: the local admin token)').env('CMDB_TOKEN'))
    .exitOverride()
    .showHelpAfterError();
  addImportCommands(cmd);
  addQueryCommands(cmd);
  addTokenCommands(cmd);
  for (const sub of cmd.commands) sub.exitOverride();
  return cmd;
}

/** What a refusal or failure of the API means for the user, and what to do about it. */
function advice(e: ApiError): string {
  if (e.code === 'FORBIDDEN') return ' (this token\'s role may not do this; use a token with the role the message names)';
  if (e.code === 'UNAUTHENTICATED') return ' (give a valid token with --token or CMDB_TOKEN)';
  return '';
}

/** Runs the command line; exits with its code (also when started through bin/cmdb.cjs). */
export function main(argv: string[]): void {
  program().parseAsync(argv).catch((e: unknown) => {
    if (e instanceof CommanderError) {
      if (e.exitCode !== 0 && e.code.startsWith('cmdb.')) process.stderr.write(`cmdb: ${e.message}\n`);
      process.exit(e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? 0 : EXIT_USAGE);
    }
    if (e instanceof ApiError) {
      process.stderr.write(`cmdb: ${e.message}${advice(e)}\n`);
      process.exit(1);
    }
    process.stderr.write(`cmdb: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}

if (require.main === module) main(process.argv);
