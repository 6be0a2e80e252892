/**
 * The base error of @balkan-audit/diff. `code` is stable (tests and callers branch on it), `data`
 * holds the structured details; messages never carry a cell value, which may be a secret.
 */
export class DiffError extends Error {
  override readonly name = 'DiffError';
  readonly code: string;
  readonly data: Readonly<Record<string, unknown>>;

  constructor(code: string, message: string, options: { data?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.data = options.data ?? {};
  }
}
