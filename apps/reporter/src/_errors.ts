import { BalkanAuditError } from '@balkan-audit/errors';

/** Stable codes of {@link CliError}. */
export type CliErrorCode =
  | 'CLI_FILE_NOT_READABLE'
  | 'CLI_INVALID_OPTION'
  | 'CLI_MISSING_API_KEY'
  | 'CONFIG_INVALID'
  | 'CONFIG_NOT_FOUND'
  | 'DEMO_WORKDIR_NOT_EMPTY'
  | 'DIFF_NO_SNAPSHOT'
  | 'DIFF_UNKNOWN_RESOURCE'
  | 'HISTORY_BAD_ID'
  | 'HISTORY_RECORD_NOT_FOUND'
  | 'HISTORY_UNKNOWN_RESOURCE'
  | 'IO_ERROR'
  | 'NIGHT_INTERRUPTED'
  | 'REDACTION_KEY_MISMATCH'
  | 'REDACTION_KEY_REQUIRED'
  | 'SIGNING_KEY_REQUIRED'
  | 'SNAPSHOT_MASS_DELETE';

/**
 * Errors the CLI itself raises (bad arguments, refused configuration, a run stopped, a guard that
 * refused a resource). Package errors carry their own codes; the top-level catch in cli.ts treats
 * any of them as a user error.
 */
export class CliError extends BalkanAuditError<CliErrorCode> {
  override readonly name = 'CliError';
}

/** An error Node raised for a system call (a file, a directory, a socket). */
export function isSystemError(error: unknown): error is NodeJS.ErrnoException & { syscall: string } {
  return error instanceof Error && typeof (error as { syscall?: unknown }).syscall === 'string' && typeof (error as { code?: unknown }).code === 'string';
}

const IO_HINTS: Readonly<Record<string, string>> = {
  ENOENT: 'the path does not exist; check the spelling, or create its parent directory',
  ENOTDIR: 'a part of the path is a file where a directory is needed',
  EISDIR: 'the path is a directory where a file is needed',
  EEXIST: 'something is already at that path (a file where a directory is needed?)',
  EACCES: 'permission denied: check the owner and mode of the path, or run as a user who may write there',
  EPERM: 'the operation is not permitted on that path',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full: free space (nothing was committed; the last snapshot is intact) and run again',
  EDQUOT: 'the disk quota is used up: free space and run again',
  EMFILE: 'too many open files: raise the limit (ulimit -n) and run again',
};

/**
 * Node's system error as the CLI's `IO_ERROR`: the operation, the path and what to do, with the
 * errno code kept in `data.errno` (and in the message), never mistaken for a balkan-audit code.
 */
export function ioError(error: NodeJS.ErrnoException & { syscall: string }): CliError {
  const errno = error.code ?? 'EIO';
  const path = error.path ?? (error as { dest?: string }).dest;
  const where = path === undefined ? '' : ` ${path}`;
  return new CliError('IO_ERROR', `cannot ${error.syscall}${where}: ${errno}`, {
    cause: error,
    data: { errno, syscall: error.syscall, ...(path === undefined ? {} : { path }) },
    hint: IO_HINTS[errno] ?? `the system refused the operation (${errno})`,
  });
}
