import { findCanonicalRecord, findRecordInSegments, parseCanonical, type CanonicalTable, type Redactor, type ResourceSchema } from '@balkan-audit/schema';
import type { StoreContext } from './_context.js';
import { blobChunks, readBlob } from './_objects.js';
import { looseSegments } from './_seek.js';

/**
 * What zlib inflates at a time for a record lookup, so at most about this much is inflated past
 * the record. Smaller pieces cost a thread-pool round trip each.
 */
const RECORD_CHUNK = 1 << 18;

/**
 * The record of `key` in blob `oid`, a canonical file of `schema`: a table of the file's columns
 * holding that one row, or none. A loose blob with seek points is searched segment by segment
 * (`findRecordInSegments`: a binary search over the segments' first keys, one segment inflated);
 * any other is searched as zlib inflates it, without parsing the file (`findCanonicalRecord`);
 * a file neither can search (not canonical) is parsed whole. Whatever the seek path cannot
 * answer, or fails on, is read the sequential way, which reports a damaged object as such.
 */
export async function readRecordBlob(ctx: StoreContext, oid: string, key: string, schema: ResourceSchema, redactor: Redactor, file: string): Promise<CanonicalTable> {
  const options = { file, redactor };
  const segments = looseSegments(ctx, oid);
  if (segments !== null) {
    const found = await findRecordInSegments(segments, key, schema, options).catch(() => null);
    if (found !== null) return found;
  }
  const found = await findCanonicalRecord(blobChunks(ctx, oid, undefined, RECORD_CHUNK), key, schema, options);
  if (found !== null) return found;
  const whole = await parseCanonical(await readBlob(ctx, oid), schema, options);
  return { ...whole, rows: whole.rows.filter((row) => row.key === key) };
}
