import { encodeRecord, splitRecord } from './csv.js';
import { fieldCount } from './_field-count.js';
import { planHeader } from './_header.js';
import { compareKeys, KEY_SEPARATOR } from './keys.js';
import { normaliseCsv, type NormaliseOptions } from './normalise.js';
import type { CanonicalRow, CanonicalTable, ResourceSchema } from './types.js';

/** The canonical file: header, then each row's line, every line ending in LF; UTF-8, no BOM. */
export function serialiseCanonical(table: CanonicalTable): Buffer {
  const header = encodeRecord(table.columns.map((column) => column.name));
  let size = Buffer.byteLength(header, 'utf8') + 1;
  for (const row of table.rows) size += Buffer.byteLength(row.line, 'utf8') + 1;
  // Written line by line into one buffer: no second copy of all rows as one string.
  const out = Buffer.allocUnsafe(size);
  let at = out.write(header, 0, 'utf8');
  out[at++] = 10;
  for (const row of table.rows) {
    at += out.write(row.line, at, 'utf8');
    out[at++] = 10;
  }
  return out;
}

/**
 * Reads a file that should already be canonical (a committed snapshot). When its header is the
 * canonical header for `schema` and its records are in strict key order, the records are split
 * off without normalising them again; otherwise it falls back to `normaliseCsv`. On canonical
 * input both give the same columns, rows and drift; the fast path validates no cells, so its
 * `warnings` are empty.
 */
export async function parseCanonical(bytes: Buffer, schema: ResourceSchema, options: NormaliseOptions): Promise<CanonicalTable> {
  return fastPath(bytes, schema, options.file) ?? normaliseCsv(bytes, schema, options);
}

function fastPath(bytes: Buffer, schema: ResourceSchema, file: string): CanonicalTable | null {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
  if (text.charCodeAt(0) === 0xfeff || !text.endsWith('\n')) return null;
  const headerEnd = text.indexOf('\n');
  const headerText = text.slice(0, headerEnd);
  if (headerText.includes('"') || headerText.includes('\r')) return null;
  const header = headerText.split(',');
  let plan;
  try {
    plan = planHeader(header, schema, file);
  } catch {
    return null;
  }
  if (encodeRecord(plan.columns.map((c) => c.name)) !== headerText || plan.source.some((from, to) => from !== to)) return null;
  const rows = splitRows(text, headerEnd + 1, plan.columns.length, plan.keyIndexes);
  return rows === null ? null : { schema, columns: plan.columns, rows, drift: plan.drift, warnings: [] };
}

function splitRows(text: string, from: number, width: number, keyIndexes: readonly number[]): CanonicalRow[] | null {
  const rows: CanonicalRow[] = [];
  const simpleKey = keyIndexes.length === 1 && keyIndexes[0] === 0;
  let previous: string | null = null;
  let at = from;
  while (at < text.length) {
    const end = recordEnd(text, at);
    if (end === -1) return null;
    const line = text.slice(at, end);
    at = end + 1;
    if (line === '' || line.endsWith('\r')) return null;
    const key = simpleKey && line.charCodeAt(0) !== 34 ? leadingField(line, width) : keyFromFields(line, width, keyIndexes);
    if (key === null || key === '' || (previous !== null && compareKeys(previous, key) >= 0)) return null;
    rows.push({ key, line });
    previous = key;
  }
  return rows;
}

/** Index of the LF ending the record that starts at `from` (LFs inside quotes do not count). */
function recordEnd(text: string, from: number): number {
  let end = text.indexOf('\n', from);
  let quotes = countQuotes(text, from, end);
  while (quotes % 2 === 1 && end !== -1) {
    const next = text.indexOf('\n', end + 1);
    if (next === -1) return -1;
    quotes += countQuotes(text, end, next);
    end = next;
  }
  return end;
}

function countQuotes(text: string, from: number, to: number): number {
  let n = 0;
  for (let q = text.indexOf('"', from); q !== -1 && q < to; q = text.indexOf('"', q + 1)) n++;
  return n;
}

/** The first field of an unquoted-start record, after checking the record has `width` fields. */
function leadingField(line: string, width: number): string | null {
  if (fieldCount(line) !== width) return null;
  const comma = line.indexOf(',');
  return comma === -1 ? line : line.slice(0, comma);
}

function keyFromFields(line: string, width: number, keyIndexes: readonly number[]): string | null {
  const fields = splitRecord(line);
  if (fields.length !== width) return null;
  return keyIndexes.map((index) => fields[index]!).join(KEY_SEPARATOR);
}
