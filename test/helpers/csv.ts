/**
 * One CSV record as the canonical form writes it (docs/canonical-form.md): a cell is quoted only
 * when it holds a comma, a quote, CR or LF, or starts or ends with a space or tab; quotes doubled.
 * Tests and benchmarks build files with it; the tool's own writer is schema's.
 */
export function csvRecord(cells: readonly string[]): string {
  return cells.map((cell) => (/[,"\n\r]|^[ \t]|[ \t]$/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell)).join(',');
}
