/** Stable codes of {@link StoreError}. */
export type StoreErrorCode =
  | 'STORE_LOCKED'
  | 'STORE_BAD_REF'
  | 'STORE_BAD_MANIFEST'
  | 'STORE_BAD_INPUT'
  | 'STORE_NOT_A_REPO'
  | 'STORE_DETACHED_HEAD'
  | 'STORE_REF_MOVED'
  | 'STORE_WRITE_FAILED'
  | 'STORE_CORRUPT_OBJECT';

/** Every error the store raises: a stable `code`, structured `data`, and the underlying `cause`. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  readonly code: StoreErrorCode;
  readonly data: Readonly<Record<string, unknown>>;

  constructor(code: StoreErrorCode, message: string, options: { data?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.data = options.data ?? {};
  }
}
