import type { ValidationWarning } from './types.js';

/** Warnings kept per code; beyond it only counted, so a million bad rows cannot exhaust memory. */
export const WARNINGS_KEPT_PER_CODE = 100;

export interface WarningLog {
  add(code: string, row: number, column: string, detail: string): void;
  readonly warnings: ValidationWarning[];
  readonly counts: Record<string, number>;
}

export function createWarningLog(file: string): WarningLog {
  const warnings: ValidationWarning[] = [];
  const counts: Record<string, number> = {};
  return {
    warnings,
    counts,
    add(code, row, column, detail) {
      const count = (counts[code] ?? 0) + 1;
      counts[code] = count;
      if (count <= WARNINGS_KEPT_PER_CODE) {
        warnings.push({ code, file, row, column, message: `${file} line ${row}, column "${column}": ${detail}` });
      }
    },
  };
}
