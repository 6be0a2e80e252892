import { BalkanAuditError } from '@balkan-audit/errors';

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
  | 'STORE_SHALLOW'
  | 'STORE_DIRTY'
  | 'STORE_SYMLINK'
  | 'STORE_ABORTED'
  | 'STORE_BAD_REDACTION_KEY'
  | 'STORE_BAD_SIGNING_KEY'
  | 'STORE_BAD_PUBLIC_KEY'
  | 'STORE_SIGN_FAILED';

/**
 * Every error the store raises, a {@link BalkanAuditError}: a stable `code`, structured `data`, a
 * `hint` when the user can do something about it, and the underlying `cause`.
 */
export class StoreError extends BalkanAuditError<StoreErrorCode> {
  override readonly name = 'StoreError';
}
