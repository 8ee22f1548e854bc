import { ExportFormatError } from '../audit-chain/export-format-error';
import type { CommandIo } from './io';
import { OrgConnectError } from '../org/org-connection';

/** A command-line mistake (bad option, missing argument): the command exits 2 with the message. */
export class UsageError extends Error {}

/**
 * Errors the user can act on (a bad option, an unreadable export, an org that cannot be used):
 * their message says what to do next, so they print without a stack trace and exit 2.
 */
export function isUserError(error: unknown): error is Error {
  return (
    error instanceof UsageError ||
    error instanceof ExportFormatError ||
    error instanceof OrgConnectError
  );
}

/** Runs a command: a user error prints `✖ message` and exits 2; anything else is a bug and propagates. */
export async function exitOnUserError(io: CommandIo, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (error) {
    if (!isUserError(error)) throw error;
    io.err(`✖ ${error.message}`);
    return 2;
  }
}
