import { BalkanAuditError } from '@balkan-audit/errors';

/** Stable codes of {@link DiffError}. */
export type DiffErrorCode = 'DIFF_INVALID_OPTION' | 'DIFF_RESOURCE_MISMATCH';

/**
 * The error of @balkan-audit/diff, a {@link BalkanAuditError}. `code` is stable (tests and callers
 * branch on it), `data` holds the structured details; messages never carry a cell value, which may
 * be a secret.
 */
export class DiffError extends BalkanAuditError<DiffErrorCode> {
  override readonly name = 'DiffError';
}
