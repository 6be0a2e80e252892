import { cellNormaliser, type CellNormaliser, type CellOutcome } from './_cells.js';
import { encodeField } from './canonical-text.js';
import { SCHEMA_ERROR_CODES, SCHEMA_WARNING_CODES, SchemaError } from './errors.js';
import { planHeader, type HeaderPlan } from './_header.js';
import { KEY_SEPARATOR } from './keys.js';
import type { NormaliseOptions } from './normalise.js';
import { recordsCsv, type RawIndex } from './_raw-index.js';
import { readRecords } from './_read.js';
import { sortRows } from './_sort.js';
import { createWarningLog, type WarningLog } from './_warnings.js';
import type { CanonicalRow, CanonicalTable, CsvInput, ResourceSchema } from './types.js';

/** What the incremental path needs beyond `normaliseCsv`. */
export interface CoreHooks {
  /**
   * The line each data record starts on in the file the records were cut from (for warnings and
   * errors), by record index; absent: the lines of `input` itself.
   */
  readonly lines?: Float64Array | readonly number[];
}

export interface CoreResult {
  readonly table: CanonicalTable;
  /** For each canonical row, the index of the data record it came from (file order). */
  readonly order: Uint32Array;
}

/** `normaliseCsv`, also telling which record each canonical row came from. */
export async function normaliseCore(input: CsvInput, schema: ResourceSchema, options: NormaliseOptions, hooks: CoreHooks = {}): Promise<CoreResult> {
  const { file } = options;
  const log = createWarningLog(file);
  const mapped = hooks.lines;
  let normaliser: RecordNormaliser | null = null;
  const rows: CanonicalRow[] = [];
  const startLines: number[] = [];
  let endLine = 0;
  let emptyLines = 0;
  await readRecords(input, file, (record, lines, empty) => {
    let line = endLine + 1 + (empty - emptyLines);
    endLine = lines;
    emptyLines = empty;
    if (normaliser === null) {
      if (record.every((name) => name.trim() === '')) throw emptyFile(file);
      normaliser = recordNormaliser(planHeader(record, schema, file), options, log);
      return;
    }
    if (mapped !== undefined) line = mapped[rows.length]!;
    rows.push(normaliser.normalise(record, line));
    startLines.push(line);
  });
  // Assigned inside the callback, which TypeScript's flow analysis does not follow.
  normaliser = normaliser as RecordNormaliser | null;
  if (normaliser === null) throw emptyFile(file);
  const { plan } = normaliser;
  const sorted = sortRows(rows, startLines, file, schema);
  return {
    table: {
      schema,
      columns: plan.columns,
      rows: sorted.rows,
      drift: plan.drift,
      warnings: log.warnings,
      warningCounts: log.counts,
    },
    order: sorted.order,
  };
}

/**
 * `normaliseCore` of some records of an indexed export (its header and those records), each keeping
 * its line in the whole file. Null when csv-parse does not read exactly those records, or throws:
 * only the whole file can then give the authoritative answer.
 */
export async function normaliseRecords(index: RawIndex, rows: readonly number[], schema: ResourceSchema, options: NormaliseOptions): Promise<CoreResult | null> {
  const lines = new Float64Array(rows.length);
  for (let k = 0; k < rows.length; k++) lines[k] = index.lines[rows[k]!]!;
  try {
    const result = await normaliseCore(recordsCsv(index, rows), schema, options, { lines });
    return result.order.length === rows.length ? result : null;
  } catch {
    return null;
  }
}

interface RecordNormaliser {
  readonly plan: HeaderPlan;
  normalise(record: readonly string[], line: number): CanonicalRow;
}

function recordNormaliser(plan: HeaderPlan, options: NormaliseOptions, log: WarningLog): RecordNormaliser {
  const { columns, source, keyIndexes } = plan;
  const cells: CellNormaliser[] = columns.map((column) => cellNormaliser(column, options.redactor));
  const isKey = columns.map((_, index) => keyIndexes.includes(index));
  const outcome: CellOutcome = { text: '', problem: null, detail: '' };
  const fields = new Array<string>(columns.length);
  const keyParts = new Array<string>(keyIndexes.length);
  const width = columns.length;
  return {
    plan,
    normalise(record, line) {
      for (let j = 0; j < width; j++) {
        let text = record[source[j]!]!;
        if (text.length > 0 && text.includes('\r')) text = text.replaceAll('\r\n', '\n');
        cells[j]!(text, outcome);
        const column = columns[j]!;
        if (outcome.problem !== null) log.add(outcome.problem, line, column.name, outcome.detail);
        const value = outcome.text;
        if (value === '') {
          if (isKey[j]) throw missingKey(options.file, line, column.name);
          if (column.required) log.add(SCHEMA_WARNING_CODES.requiredEmpty, line, column.name, 'the column is required but the cell is empty');
        }
        fields[j] = encodeField(value);
      }
      for (let k = 0; k < keyIndexes.length; k++) keyParts[k] = decodedField(fields[keyIndexes[k]!]!);
      const key = keyParts.length === 1 ? keyParts[0]! : keyParts.join(KEY_SEPARATOR);
      return { key, line: fields.join(',') };
    },
  };
}

/** A key cell's canonical text back from its encoded field (quoted only if it had to be). */
function decodedField(field: string): string {
  return field.charCodeAt(0) === 34 ? field.slice(1, -1).replaceAll('""', '"') : field;
}

function emptyFile(file: string): SchemaError {
  return new SchemaError(SCHEMA_ERROR_CODES.emptyFile, `${file}: the file has no header; expected at least a header line`, { file });
}

function missingKey(file: string, line: number, column: string): SchemaError {
  return new SchemaError(SCHEMA_ERROR_CODES.missingKey, `${file} line ${line}, column "${column}": the key cell is empty; every record needs a key`, { file, row: line, column });
}
