import { CommanderError } from 'commander';

export const EXIT_USAGE = 2;

/** A usage mistake the user can fix on the command line: exit code 2, with the message. */
export function usageError(code: string, message: string): CommanderError {
  return new CommanderError(EXIT_USAGE, `cmdb.${code}`, message);
}
