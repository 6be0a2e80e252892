import { findCanonicalRecord, parseCanonical, type CanonicalTable, type Redactor, type ResourceSchema } from '@balkan-audit/schema';
import type { StoreContext } from './_context.js';
import { blobChunks, readBlob } from './_objects.js';

/**
 * What zlib inflates at a time for a record lookup, so at most about this much is inflated past
 * the record. Smaller pieces cost a thread-pool round trip each.
 */
const RECORD_CHUNK = 1 << 18;

/**
 * The record of `key` in blob `oid`, a canonical file of `schema`: a table of the file's columns
 * holding that one row, or none. Schema finds it as zlib inflates the blob, without parsing the
 * file (`findCanonicalRecord`); a file it cannot search that way (not canonical) is parsed whole.
 */
export async function readRecordBlob(ctx: StoreContext, oid: string, key: string, schema: ResourceSchema, redactor: Redactor, file: string): Promise<CanonicalTable> {
  const options = { file, redactor };
  const found = await findCanonicalRecord(blobChunks(ctx, oid, undefined, RECORD_CHUNK), key, schema, options);
  if (found !== null) return found;
  const whole = await parseCanonical(await readBlob(ctx, oid), schema, options);
  return { ...whole, rows: whole.rows.filter((row) => row.key === key) };
}
