import { normaliseCore } from './_normalise-core.js';
import { DIGEST_SIZE, decodeRawDigests, digestKey, digestRecords, digestVersion, digestWords, encodeRawDigests } from './_raw-digests.js';
import { indexRawRecords, type RawIndex } from './_raw-index.js';
import { reuseRows } from './_reuse.js';
import { normaliseCsv, type NormaliseOptions } from './normalise.js';
import type { CanonicalTable, RawDigests, ResourceSchema } from './types.js';

export interface IncrementalOptions extends NormaliseOptions {
  /**
   * Last night's result: its canonical table and the digests `normaliseIncremental` returned with
   * it (they must belong together). `null` on the first night or when the cache is gone.
   */
  readonly previous: { readonly table: CanonicalTable; readonly digests: RawDigests } | null;
}

export interface IncrementalResult {
  /** The same table `normaliseCsv` gives for the input; warnings only of the records parsed. */
  readonly table: CanonicalTable;
  /** Digests for tomorrow's run, or null when the input is not plain enough to digest. */
  readonly digests: RawDigests | null;
  /** Rows taken over from `previous.table` without parsing their records. */
  readonly reused: number;
}

/**
 * `normaliseCsv` for a nightly export that mostly did not change. Records whose raw bytes are
 * byte-for-byte last night's (by keyed digest) reuse last night's canonical row object; only the
 * others go through csv-parse and the normaliser. The table equals `normaliseCsv`'s on the same
 * input, and any error is `normaliseCsv`'s: whenever the fast path is not certain (irregular CSV,
 * a changed header, schema or redaction key, unreadable digests, a duplicate anywhere) the whole
 * input is normalised.
 *
 * @example
 * const { table, digests } = await normaliseIncremental(await readFile(file), getSchema('integrations'),
 *   { file: 'integrations.csv', redactor, previous: cached ? { table: lastTable, digests: cached } : null });
 */
export async function normaliseIncremental(input: Buffer, schema: ResourceSchema, options: IncrementalOptions): Promise<IncrementalResult> {
  const index = indexRawRecords(input);
  if (index === null) return { table: await normaliseCsv(input, schema, options), digests: null, reused: 0 };
  const version = digestVersion(schema, options.redactor);
  const raw = digestRecords(input, index, digestKey(options.redactor));
  const { previous } = options;
  const before = previous === null ? null : decodeRawDigests(previous.digests);
  if (previous !== null && before !== null && before.version === version && before.header === raw.header && before.rows.length === previous.table.rows.length * DIGEST_SIZE) {
    const result = await reuseRows(index, raw.rows, { table: previous.table, digests: before.rows }, schema, options);
    if (result !== null) return { table: result.table, digests: encodeRawDigests({ version, header: raw.header, rows: result.digests }, result.table), reused: result.reused };
  }
  return fullPath(index, raw, version, schema, options);
}

async function fullPath(index: RawIndex, raw: { header: string; rows: Buffer }, version: string, schema: ResourceSchema, options: NormaliseOptions): Promise<IncrementalResult> {
  const { table, order } = await normaliseCore(index.bytes, schema, options);
  // csv-parse read exactly the records the scanner found, or the digests would name wrong rows.
  if (order.length !== index.count) return { table, digests: null, reused: 0 };
  const rows = Buffer.alloc(order.length * DIGEST_SIZE);
  const to = new Int32Array(rows.buffer, rows.byteOffset, order.length * 4);
  const from = digestWords(raw.rows);
  for (let i = 0; i < order.length; i++) {
    const a = order[i]! * 4;
    const b = i * 4;
    to[b] = from[a]!;
    to[b + 1] = from[a + 1]!;
    to[b + 2] = from[a + 2]!;
    to[b + 3] = from[a + 3]!;
  }
  return { table, digests: encodeRawDigests({ version, header: raw.header, rows }, table), reused: 0 };
}
