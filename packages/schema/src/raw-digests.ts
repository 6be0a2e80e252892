import { DIGEST_SIZE } from './_raw-digests.js';
import { SCHEMA_ERROR_CODES, SchemaError } from './errors.js';

/**
 * Keyed digests of the raw export records behind a canonical table, one per row, in the table's
 * row order: what `normaliseIncremental` needs to recognise tomorrow which records did not change.
 * Keyed by a key derived from the redaction key, so without it they reveal nothing about records.
 */
export interface RawDigests {
  /**
   * Everything that decides the canonical output besides the header: the normaliser's format,
   * the schema (resource, columns, key) and a check value of the redactor (never the key).
   */
  readonly version: string;
  /** Hex digest of the raw header record (BOM stripped, without its line end). */
  readonly header: string;
  /** 16 bytes per canonical row, in the table's row order. */
  readonly rows: Buffer;
}

/** How many rows `digests` has a digest for. */
export function rawDigestCount(digests: RawDigests): number {
  return digests.rows.length / DIGEST_SIZE;
}

const MAGIC = Buffer.from('BARD', 'latin1');
const ENCODING = 1;
const PREAMBLE = MAGIC.length + 1 + 4;

/**
 * The bytes of a digest cache file: `BARD`, an encoding byte, a 4-byte big-endian length, a JSON
 * header `{version, header, rows}` (the row count), then the row digests as they are.
 */
export function encodeRawDigests(digests: RawDigests): Buffer {
  const meta = Buffer.from(JSON.stringify({ version: digests.version, header: digests.header, rows: digests.rows.length / DIGEST_SIZE }), 'utf8');
  const out = Buffer.allocUnsafe(PREAMBLE + meta.length + digests.rows.length);
  MAGIC.copy(out, 0);
  out[MAGIC.length] = ENCODING;
  out.writeUInt32BE(meta.length, MAGIC.length + 1);
  meta.copy(out, PREAMBLE);
  digests.rows.copy(out, PREAMBLE + meta.length);
  return out;
}

/**
 * Reads what `encodeRawDigests` wrote. Throws `SCHEMA_BAD_DIGESTS` for anything else (a truncated
 * or foreign file), so a caller can drop the cache and normalise in full. The rows are a view of
 * `bytes`, not a copy.
 */
export function decodeRawDigests(bytes: Buffer): RawDigests {
  if (bytes.length < PREAMBLE || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) throw bad('it does not start with the digest file marker', bytes.length);
  if (bytes[MAGIC.length] !== ENCODING) throw bad(`unknown encoding ${bytes[MAGIC.length]}`, bytes.length);
  const metaLength = bytes.readUInt32BE(MAGIC.length + 1);
  if (PREAMBLE + metaLength > bytes.length) throw bad('its header is cut off', bytes.length);
  let meta: unknown;
  try {
    meta = JSON.parse(bytes.toString('utf8', PREAMBLE, PREAMBLE + metaLength));
  } catch (error) {
    throw bad('its header is not JSON', bytes.length, error);
  }
  const { version, header, rows } = (meta ?? {}) as Record<string, unknown>;
  if (typeof version !== 'string' || typeof header !== 'string' || !/^[0-9a-f]{32}$/.test(header) || typeof rows !== 'number' || !Number.isSafeInteger(rows) || rows < 0) {
    throw bad('its header lacks a version, a header digest or a row count', bytes.length);
  }
  const body = bytes.subarray(PREAMBLE + metaLength);
  if (body.length !== rows * DIGEST_SIZE) throw bad(`expected ${rows * DIGEST_SIZE} bytes of row digests, received ${body.length}`, bytes.length);
  return { version, header, rows: body };
}

function bad(what: string, size: number, cause?: unknown): SchemaError {
  return new SchemaError(SCHEMA_ERROR_CODES.badDigests, `raw digest file (${size} bytes) is not readable: ${what}`, { size }, { cause });
}
