/**
 * Errors the CLI itself raises (bad arguments, refused configuration). Package errors carry their
 * own `code`; the top-level catch in cli.ts treats any error with a string `code` as a user error.
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly code: string;
  readonly hint: string | undefined;

  constructor(code: string, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
  }
}

/** A coded error from any balkan-audit package: reported as a user error, not a bug. */
export function isCodedError(error: unknown): error is Error & { code: string; hint?: string } {
  if (!(error instanceof Error)) return false;
  const code: unknown = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(code);
}
