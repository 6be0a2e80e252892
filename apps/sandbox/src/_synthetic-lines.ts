import { Readable } from 'node:stream';
import { csvLine } from './_csv.js';
import { MALFORMED_LINE, type ContentFaults } from './_faults.js';
import { affinePermutation, afterCounts, afterPlan, SYNTHETIC_HEADER, syntheticRow, type RowChange } from './_synthetic-rows.js';
import type { SyntheticSpec } from './types.js';

export type GeneratorSpec = Omit<SyntheticSpec, 'resource'>;

const SHUFFLE_SALT = 0x5a0ff1e;
const CHUNK_CHARS = 64 * 1024;

/**
 * The synthetic CSV line by line (LF line ends), one row at a time: nothing is held but the
 * current row, so memory stays flat for any row count.
 */
export function* syntheticLines(spec: GeneratorSpec, faults: ContentFaults): Generator<string> {
  yield `${csvLine(SYNTHETIC_HEADER)}\n`;
  if (!faults.empty) {
    const before = spec.rows;
    const after = spec.variant === 'after';
    const plan: (index: number) => 'removed' | RowChange = after ? afterPlan(before, spec.seed) : () => 'none';
    const total = after ? before + afterCounts(before).added : before;
    const order = spec.shuffle === true ? affinePermutation(total, spec.seed, SHUFFLE_SALT) : (j: number) => j;
    let first: string | null = null;
    for (let j = 0; j < total; j++) {
      const index = order(j);
      const fate = index < before ? plan(index) : 'none';
      if (fate === 'removed') continue;
      const line = `${syntheticRow(spec.seed, index, fate)}\n`;
      first ??= line;
      yield line;
    }
    if (faults.duplicateIds && first !== null) yield first;
  }
  if (faults.malformed) yield `${MALFORMED_LINE}\n`;
}

/** The synthetic CSV as a byte stream of ~64 KiB chunks that honours back-pressure. */
export function syntheticReadable(spec: GeneratorSpec, faults: ContentFaults): Readable {
  return Readable.from(chunks(syntheticLines(spec, faults)), { objectMode: false });
}

function* chunks(lines: Iterable<string>): Generator<Buffer> {
  let pending = '';
  for (const line of lines) {
    pending += line;
    if (pending.length >= CHUNK_CHARS) {
      yield Buffer.from(pending, 'utf8');
      pending = '';
    }
  }
  if (pending !== '') yield Buffer.from(pending, 'utf8');
}
