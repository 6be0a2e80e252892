import { isUtf8 } from 'node:buffer';
import { CanonicalRows, encodeRecord, LayoutCutter, recordEnd } from './canonical-text.js';
import { planHeader, type HeaderPlan } from './_header.js';
import { decodeRawDigests } from './_raw-digests.js';
import { wholeCharacters } from './_utf8.js';
import { normaliseCsv, type NormaliseOptions } from './normalise.js';
import type { CanonicalRow, CanonicalTable, RawDigests, ResourceSchema } from './types.js';

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

/**
 * Parses a committed canonical file streamed in chunks (e.g. straight out of zlib), cut at the
 * line layout kept in `digests` (what `normaliseIncremental` returned with the table the file was
 * written from) without scanning it and without ever holding its bytes whole: only its text, in
 * pieces. Resolves to null when the bytes are not that table's canonical file (a changed header, a
 * line that does not end where the layout says, keys out of order, invalid UTF-8) or the digests
 * are unreadable; the caller then reads the file whole and calls `parseCanonical`.
 */
export async function cutCanonical(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, schema: ResourceSchema, options: { readonly file: string; readonly digests: RawDigests }): Promise<CanonicalTable | null> {
  const layout = decodeRawDigests(options.digests)?.layout;
  if (layout === undefined) return null;
  let header: { plan: HeaderPlan; cutter: LayoutCutter } | null = null;
  let headerText = '';
  for await (const bytes of wholeCharacters(chunks)) {
    if (!isUtf8(bytes)) return null;
    let piece = bytes.toString('utf8');
    if (header === null) {
      headerText += piece;
      const end = headerText.indexOf('\n');
      if (end === -1) continue;
      const plan = canonicalHeader(headerText.slice(0, end), schema, options.file);
      if (plan === null) return null;
      // The layout was kept for exactly this file, so its lines are not counted into fields again.
      header = { plan, cutter: new LayoutCutter(layout, new CanonicalRows(plan.keyIndexes, null)) };
      piece = headerText.slice(end + 1);
    }
    header.cutter.push(piece);
  }
  return header === null ? null : fastTable(schema, header.plan, header.cutter.finish());
}

function fastPath(bytes: Buffer, schema: ResourceSchema, file: string): CanonicalTable | null {
  // isUtf8 + toString is several times faster than a fatal TextDecoder on large input.
  if (!isUtf8(bytes)) return null;
  const text = bytes.toString('utf8');
  const headerEnd = text.indexOf('\n');
  if (headerEnd === -1 || !text.endsWith('\n')) return null;
  const plan = canonicalHeader(text.slice(0, headerEnd), schema, file);
  if (plan === null) return null;
  const rows = new CanonicalRows(plan.keyIndexes, plan.columns.length);
  for (let at = headerEnd + 1; at < text.length;) {
    const end = recordEnd(text, at);
    if (end === -1 || !rows.add(text.slice(at, end))) return null;
    at = end + 1;
  }
  return fastTable(schema, plan, rows.rows);
}

/** The table of a canonical file read without normalising: nothing was validated, so no warnings. */
function fastTable(schema: ResourceSchema, plan: HeaderPlan, rows: CanonicalRow[] | null): CanonicalTable | null {
  return rows === null ? null : { schema, columns: plan.columns, rows, drift: plan.drift, warnings: [] };
}

/** The plan of a header line that is exactly the canonical header of `schema`, else null. */
function canonicalHeader(headerText: string, schema: ResourceSchema, file: string): HeaderPlan | null {
  if (headerText.charCodeAt(0) === 0xfeff || headerText.includes('"') || headerText.includes('\r')) return null;
  let plan: HeaderPlan;
  try {
    plan = planHeader(headerText.split(','), schema, file);
  } catch {
    return null;
  }
  if (encodeRecord(plan.columns.map((c) => c.name)) !== headerText || plan.source.some((from, to) => from !== to)) return null;
  return plan;
}
