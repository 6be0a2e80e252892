import { BalkanAuditError } from '@balkan-audit/errors';

/** Fatal problems: `normaliseCsv` throws a `SchemaError` with one of these codes and produces nothing. */
export const SCHEMA_ERROR_CODES = {
  /** A required column is absent from the header. */
  missingColumn: 'SCHEMA_MISSING_COLUMN',
  /** Two header cells name the same column (compared without `*`, spaces and case). */
  duplicateColumn: 'SCHEMA_DUPLICATE_COLUMN',
  /** A record's key cell is empty. */
  missingKey: 'SCHEMA_MISSING_KEY',
  /** Two records share a key; `data.lines` holds both start lines. */
  duplicateKey: 'SCHEMA_DUPLICATE_KEY',
  /** Not parseable as RFC 4180 CSV: unbalanced quote, ragged row, … (`data.csvCode` is csv-parse's code). */
  csvInvalid: 'SCHEMA_CSV_INVALID',
  /** The bytes are not valid UTF-8. */
  notUtf8: 'SCHEMA_NOT_UTF8',
  /** No header at all (empty file, or only a BOM and blank lines). */
  emptyFile: 'SCHEMA_EMPTY_FILE',
} as const;

/** Non-fatal findings: reported as `ValidationWarning`s; the cell is kept (see each code). */
export const SCHEMA_WARNING_CODES = {
  /** A required column's cell is empty (kept empty). */
  requiredEmpty: 'SCHEMA_REQUIRED_EMPTY',
  /** A cell does not parse as its column's type; the raw text is kept unchanged. */
  typeMismatch: 'SCHEMA_TYPE_MISMATCH',
  /** A JSON cell is not valid JSON; kept raw, or replaced by a fingerprint when it may hold a secret. */
  jsonInvalid: 'SCHEMA_JSON_INVALID',
} as const;

export type SchemaErrorCode = (typeof SCHEMA_ERROR_CODES)[keyof typeof SCHEMA_ERROR_CODES];
export type SchemaWarningCode = (typeof SCHEMA_WARNING_CODES)[keyof typeof SCHEMA_WARNING_CODES];

/**
 * The error of @balkan-audit/schema, a {@link BalkanAuditError}. `code` is stable (tests and
 * callers branch on it), `data` names the file, line and column. Messages never quote a secret or a
 * JSON cell.
 */
export class SchemaError extends BalkanAuditError<SchemaErrorCode> {
  override readonly name = 'SchemaError';

  constructor(code: SchemaErrorCode, message: string, data: Readonly<Record<string, unknown>> = {}, options: { cause?: unknown } = {}) {
    super(code, message, { data, cause: options.cause });
  }
}
