/** Error raised by the sandbox for a refused option or command-line flag. */
export class SandboxError extends Error {
  override readonly name = 'SandboxError';
  /** Stable code, e.g. `SANDBOX_INVALID_OPTION`. */
  readonly code: string;
  readonly data: Readonly<Record<string, unknown>>;

  constructor(code: string, message: string, data: Record<string, unknown> = {}, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.data = data;
  }
}
