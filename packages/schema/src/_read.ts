import { isUtf8 } from 'node:buffer';
import { Readable } from 'node:stream';
import { CsvError, parse, type Info, type Parser } from 'csv-parse';
import { SCHEMA_ERROR_CODES, SchemaError } from './errors.js';
import type { CsvInput } from './types.js';
import { wholeCharacters } from './_utf8.js';


/** Receives each record with csv-parse's line count at its end and its count of skipped empty lines. */
export type RecordSink = (record: string[], lines: number, emptyLines: number) => void;

// Large inputs are fed in slices so csv-parse never holds more than a slice's records at once.
const SLICE = 1 << 20;

const OPTIONS = { bom: true, relax_column_count: false, skip_empty_lines: true } as const;

/** The parser core behind csv-parse's stream (`parser.api`): what its Transform calls per chunk. */
interface ParserCore {
  parse(chunk: Buffer | undefined, end: boolean, push: (record: string[]) => void, close: () => void): Error | undefined;
  readonly info: Info;
}

/**
 * csv-parse over `input`, with every byte checked as UTF-8 first: arrays, not objects (faster), a
 * BOM skipped, CRLF or LF auto-detected, ragged rows refused, blank lines skipped. Each record goes
 * to `sink` as csv-parse produces it. The chunks are fed to the parser core that csv-parse's own
 * stream drives, synchronously: no object stream, no per-record `info` copy (reading the live line
 * count at the moment a record is pushed is what `info: true` would copy), about a third less time.
 * If that core is ever missing, the documented stream with `info: true` is used.
 */
export async function readRecords(input: CsvInput, file: string, sink: RecordSink): Promise<void> {
  const parser = parse(OPTIONS);
  const core = (parser as unknown as { api?: ParserCore }).api;
  if (core === undefined || typeof core.parse !== 'function' || typeof core.info !== 'object') return readByStream(input, file, sink);
  const push = (record: string[]): void => sink(record, core.info.lines, core.info.empty_lines);
  const close = (): void => {};
  try {
    for await (const chunk of checkedUtf8(input, file)) {
      const error = core.parse(chunk, false, push, close);
      if (error !== undefined) throw error;
    }
    const error = core.parse(undefined, true, push, close);
    if (error !== undefined) throw error;
  } catch (error) {
    throw csvError(error, file);
  }
}

/** The documented way (a stream with `info: true`); `readRecords` falls back to it. */
export async function readByStream(input: CsvInput, file: string, sink: RecordSink): Promise<void> {
  const parser = parse({ ...OPTIONS, info: true });
  const source = Readable.from(checkedUtf8(input, file), { objectMode: true, highWaterMark: 1 });
  source.on('error', (error) => parser.destroy(error));
  source.pipe(parser);
  try {
    for await (const { record, info } of parser as Parser & AsyncIterable<{ record: string[]; info: Info }>) sink(record, info.lines, info.empty_lines);
  } catch (error) {
    parser.destroy();
    throw csvError(error, file);
  }
}

async function* slices(input: CsvInput): AsyncGenerator<Buffer> {
  if (typeof input === 'string' || Buffer.isBuffer(input)) {
    const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
    for (let at = 0; at < bytes.length; at += SLICE) yield bytes.subarray(at, at + SLICE);
    return;
  }
  for await (const chunk of input) yield typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
}

/** Yields the input's bytes cut at character boundaries; throws SCHEMA_NOT_UTF8 at the first bad byte. */
async function* checkedUtf8(input: CsvInput, file: string): AsyncGenerator<Buffer> {
  // Counted here rather than asked of csv-parse, which may not have read the earlier chunks yet.
  let lines = 1;
  for await (const body of wholeCharacters(slices(input))) {
    if (!isUtf8(body)) throw notUtf8(file, body, lines);
    for (let at = body.indexOf(10); at !== -1; at = body.indexOf(10, at + 1)) lines++;
    yield body;
  }
}

function notUtf8(file: string, bytes: Buffer, linesBefore: number): SchemaError {
  const offset = firstInvalid(bytes);
  let line = linesBefore;
  for (let at = bytes.indexOf(10); at !== -1 && at < offset; at = bytes.indexOf(10, at + 1)) line++;
  return new SchemaError(SCHEMA_ERROR_CODES.notUtf8, `${file} line ${line}: the file is not valid UTF-8 (an invalid byte sequence); exports are expected in UTF-8`, { file, row: line });
}

/** Byte offset of the first invalid sequence (only on the error path, so plain decoding will do). */
function firstInvalid(bytes: Buffer): number {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const index = text.indexOf('\ufffd');
  return index === -1 ? bytes.length : Buffer.byteLength(text.slice(0, index), 'utf8');
}

/** csv-parse's error, as a SchemaError with its line; its message is not copied (it can quote cells). */
export function csvError(error: unknown, file: string): unknown {
  if (!(error instanceof CsvError)) return error;
  const code = error.code;
  const line = (error as { lines?: number }).lines ?? 0;
  const record = (error as { record?: unknown }).record;
  const what = CSV_PROBLEMS[code] ?? `not valid CSV (${code})`;
  const fields = Array.isArray(record) ? `; the record has ${record.length} fields` : '';
  return new SchemaError(SCHEMA_ERROR_CODES.csvInvalid, `${file} line ${line}: ${what}${fields}`, { file, row: line, csvCode: code });
}

const CSV_PROBLEMS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is never closed (unbalanced quote)',
  CSV_RECORD_INCONSISTENT_FIELDS_LENGTH: 'the record does not have as many fields as the header',
  CSV_INVALID_CLOSING_QUOTE: 'a quote inside an unquoted field, or text after a closing quote',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'text after a closing quote',
  INVALID_OPENING_QUOTE: 'a quote inside an unquoted field',
  CSV_MAX_RECORD_SIZE: 'a record is larger than the parser allows',
};
