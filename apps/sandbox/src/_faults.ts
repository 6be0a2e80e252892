import type { CsvTable } from './_csv.js';
import type { SandboxFaults } from './types.js';

/** The faults that change what a CSV holds (fixed per export at POST time). */
export interface ContentFaults {
  readonly empty: boolean;
  readonly malformed: boolean;
  readonly duplicateIds: boolean;
}

export const NO_CONTENT_FAULTS: ContentFaults = { empty: false, malformed: false, duplicateIds: false };

/** Whether the faults apply to this resource (`only` narrows them). */
export function faultsApply(faults: SandboxFaults, resource: string): boolean {
  return faults.only === undefined || faults.only.includes(resource);
}

export function contentFaults(faults: SandboxFaults, resource: string): ContentFaults {
  if (!faultsApply(faults, resource)) return NO_CONTENT_FAULTS;
  return { empty: faults.empty === true, malformed: faults.malformed === true, duplicateIds: faults.duplicateIds === true };
}

/**
 * The row whose quote never closes. It is the file's last record, so no later quote can pair with
 * it: every RFC 4180 parser must reject the file rather than guess.
 */
export const MALFORMED_LINE = 'malformed-row,"This cell opens a quote that never closes';

/** A table with the content faults applied: header only, an ID repeated, an unbalanced quote. */
export function applyContentFaults(table: CsvTable, faults: ContentFaults): { table: CsvTable; trailer: string } {
  let rows = faults.empty ? [] : table.rows;
  const first = rows[0];
  if (faults.duplicateIds && first) {
    const nameColumn = table.header.findIndex((name) => /^name\*?$/i.test(name));
    const copy = first.map((cell, column) => (column === nameColumn ? `${cell} (duplicate)` : cell));
    rows = [...rows, copy];
  }
  return { table: { ...table, rows }, trailer: faults.malformed ? MALFORMED_LINE + table.lineEnd : '' };
}
