/** Stable codes of {@link StoreError}. */
export type StoreErrorCode =
  | 'STORE_LOCKED'
  | 'STORE_BAD_REF'
  | 'STORE_BAD_MANIFEST'
  | 'STORE_BAD_INPUT'
  | 'STORE_NOT_A_REPO'
  | 'STORE_NOT_REPO_ROOT'
  | 'STORE_DETACHED_HEAD'
  | 'STORE_REF_MOVED'
  | 'STORE_WRITE_FAILED'
  | 'STORE_CORRUPT_OBJECT'
  | 'STORE_DIRTY'
  | 'STORE_SYMLINK'
  | 'STORE_ABORTED'
  | 'STORE_BAD_REDACTION_KEY'
  | 'STORE_BAD_SIGNING_KEY'
  | 'STORE_BAD_PUBLIC_KEY'
  | 'STORE_SIGN_FAILED';

/** Every error the store raises: a stable `code`, structured `data`, and the underlying `cause`. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  readonly code: StoreErrorCode;
  readonly data: Readonly<Record<string, unknown>>;
  /** What the user can do about it, when there is something (the CLI prints it as a hint). */
  readonly hint: string | undefined;

  constructor(code: StoreErrorCode, message: string, options: { data?: Record<string, unknown>; cause?: unknown; hint?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.data = options.data ?? {};
    this.hint = options.hint;
  }
}
