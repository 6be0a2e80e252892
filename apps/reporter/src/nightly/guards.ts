/**
 * The "nothing lost, no fake deletions" guard: a resource that suddenly loses most of its rows is far
 * more often a broken export than a tenant that deleted everything overnight, so it keeps its
 * previous snapshot unless the operator says the deletion is real (`--allow-mass-delete`).
 */
export interface MassDeleteVerdict {
  readonly code: 'SNAPSHOT_MASS_DELETE';
  readonly message: string;
}

/** Rows below which a drop to zero is not suspicious (a tiny table may really be emptied). */
export const MASS_DELETE_MIN_ROWS = 10;
/** More than this fraction of rows lost in one night is suspicious. */
export const MASS_DELETE_FRACTION = 0.5;

export function checkMassDelete(resource: string, before: number, after: number, removed: number): MassDeleteVerdict | null {
  const toZero = before >= MASS_DELETE_MIN_ROWS && after === 0;
  const most = before > 0 && removed > before * MASS_DELETE_FRACTION;
  if (!toZero && !most) return null;
  const what = toZero ? `dropped from ${before} rows to 0` : `lost ${removed} of ${before} rows (more than ${MASS_DELETE_FRACTION * 100}%)`;
  return {
    code: 'SNAPSHOT_MASS_DELETE',
    message: `${resource}: the export ${what}; the previous snapshot is kept. If the deletion is real, re-run with --allow-mass-delete.`,
  };
}
