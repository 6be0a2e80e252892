/**
 * The "nothing lost, no fake deletions" guard: a resource that suddenly loses most of its rows is far
 * more often a broken export than a tenant that deleted everything overnight, so it keeps its
 * previous snapshot unless the operator says the deletion is real (`--allow-mass-delete`).
 */
export interface MassDeleteVerdict {
  readonly code: 'SNAPSHOT_MASS_DELETE';
  readonly message: string;
}

/** More than this fraction of rows lost in one night is suspicious. */
const MASS_DELETE_FRACTION = 0.5;

/**
 * Suspicious: more than half of the rows removed. Small tables get no exemption: the export that
 * arrives as its header line only is the broken export seen most, and for a table of one or two
 * rows it looks exactly like their deletion. Losing one of two rows is not more than half.
 */
export function checkMassDelete(resource: string, before: number, after: number, removed: number): MassDeleteVerdict | null {
  if (removed <= before * MASS_DELETE_FRACTION) return null;
  const what = after === 0 ? `dropped from ${before} rows to 0` : `lost ${removed} of ${before} rows (more than ${MASS_DELETE_FRACTION * 100}%)`;
  return {
    code: 'SNAPSHOT_MASS_DELETE',
    message: `${resource}: the export ${what}; the previous snapshot is kept. If the deletion is real, re-run with --allow-mass-delete.`,
  };
}
