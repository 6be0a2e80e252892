import type { Readable } from 'node:stream';
import { NO_CONTENT_FAULTS } from './_faults.js';
import { checkSyntheticShape } from './_options.js';
import { syntheticReadable, type GeneratorSpec } from './_synthetic-lines.js';

export { SYNTHETIC_SECRET_PREFIX } from './_synthetic-rows.js';

/**
 * Streams a generated integrations-shaped CSV: the 14 documented integrations columns plus
 * `Region`, LF line ends, ~266 bytes a row, deterministic from (seed, rows). `after` removes 0.5%
 * of the rows, adds 0.5% (new IDs after the last one) and changes 1% (status, a rotated secret, a
 * JSON option, or only volatile Last Run/Message). `shuffle` emits the same rows in a seeded order.
 * Rows are generated as the stream is read, so memory stays flat for millions of rows.
 * @example generateSyntheticExport({ rows: 1_000_000, seed: 7, variant: 'before' }).pipe(createWriteStream('big.csv'))
 */
export function generateSyntheticExport(spec: GeneratorSpec): Readable {
  checkSyntheticShape(spec);
  return syntheticReadable(spec, NO_CONTENT_FAULTS);
}
