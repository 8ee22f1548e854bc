import { ExportFormatError } from '../audit-chain/export-format-error';
import type { CommandIo } from './io';
import { OrgConnectError } from '../org/org-connect-error';

/** A command-line mistake (bad option, missing argument): the command exits 2 with the message. */
export class UsageError extends Error {}

/** Exit code of a usage or input error, in every command. */
export const EXIT_USAGE = 2;

/**
 * Exit code of an internal error (a bug): EX_SOFTWARE from BSD sysexits.h, unused by every
 * command, so a scheduler tells a bug from findings (1) and from bad input (2).
 */
export const EXIT_INTERNAL = 70;

/** File-system errors caused by the path a user gave, and what to do about each. */
const PATH_ERRORS: Record<string, string> = {
  EISDIR: 'is a folder where a file is needed; give a file path',
  ENOTDIR: 'runs through a file where a folder is needed; give a folder path',
  EEXIST: 'already exists as a file where a folder is needed; give another path',
  EACCES: 'cannot be written (permission denied); give a path you can write to',
  EPERM: 'cannot be written (operation not permitted); give a path you can write to',
  EROFS: 'is on a read-only file system; give a path you can write to',
  ENOENT: 'does not exist (or its parent folder cannot be created); check the path',
  ENOSPC: 'cannot be written: the disk is full; free space or give another path'
};

/** A file-system error on a path the user gave, as a sentence; null for anything else. */
export function pathErrorMessage(error: unknown): string | null {
  const { code, path } = (error ?? {}) as { code?: unknown; path?: unknown };
  if (typeof code !== 'string' || typeof path !== 'string') return null;
  const advice = PATH_ERRORS[code];
  return advice ? `${path} ${advice} (${code}).` : null;
}

/**
 * Errors the user can act on (a bad option, an unreadable export, an org that cannot be used, a
 * path that cannot be written): their message says what to do next, so they print without a
 * stack trace and exit 2.
 */
export function isUserError(error: unknown): error is Error {
  return (
    error instanceof UsageError ||
    error instanceof ExportFormatError ||
    error instanceof OrgConnectError ||
    pathErrorMessage(error) !== null
  );
}

/** Runs a command: a user error prints `✖ message` and exits 2; anything else is a bug and propagates. */
export async function exitOnUserError(io: CommandIo, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (error) {
    if (!isUserError(error)) throw error;
    io.err(`✖ ${pathErrorMessage(error) ?? error.message}`);
    return EXIT_USAGE;
  }
}

/** An internal error: the message (no stack trace) and what to do, exit 70. */
export function reportInternalError(error: unknown, io: CommandIo): number {
  const message = error instanceof Error ? error.message : String(error);
  io.err(
    `✖ Internal error: ${message}. This is a bug in sdg, not in your data: please report it with the command you ran (exit ${EXIT_INTERNAL}).`
  );
  return EXIT_INTERNAL;
}
