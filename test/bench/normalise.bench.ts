// `pnpm bench normalise --rows N`: normalise a synthetic integrations export (default 1,000,000
// rows, ~260 MB, shuffled) and compare with plain csv-parse over the same file, each in its own
// child process (wall time and peak RSS per step).
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { generateSyntheticExport } from '@balkan-audit/sandbox';
import { benchArgs, formatMeasurement, machineLine, measureNode, ratioLine, type Measurement } from './harness.js';

const args = benchArgs({ rows: '1000000', seed: '7' });
const dir = await mkdtemp(join(tmpdir(), 'bench-normalise-'));
const step = (name: string): string => fileURLToPath(new URL(`./steps/${name}.ts`, import.meta.url));
try {
  const file = join(dir, 'integrations.csv');
  await pipeline(generateSyntheticExport({ rows: Number(args.rows), seed: Number(args.seed), variant: 'before', shuffle: true }), createWriteStream(file));
  const mb = (await stat(file)).size / 1e6;
  const anchor = await measureNode('csv-parse (records only)', step('normalise-csv-parse'), [file]);
  const ours = await measureNode('normaliseCsv + serialiseCanonical', step('normalise-schema'), [file]);
  const result = JSON.parse(ours.stdout.trim()) as { rows: number; canonicalBytes: number };
  const rate = (m: Measurement): string => `${(mb / m.wallSeconds).toFixed(1)} MB/s`;
  console.log(`${machineLine()}\n${args.rows} rows, ${mb.toFixed(0)} MB shuffled input; ${result.rows} canonical rows, ${(result.canonicalBytes / 1e6).toFixed(0)} MB out\n`);
  console.log('| step | wall s | peak RSS MiB | throughput |\n|---|---:|---:|---:|');
  for (const m of [anchor, ours]) console.log(`| ${m.label} | ${m.wallSeconds.toFixed(2)} | ${m.peakRssMiB?.toFixed(0) ?? '—'} | ${rate(m)} |`);
  console.log(`\n${formatMeasurement(anchor)}\n${formatMeasurement(ours)}\n${ratioLine(ours, anchor)}`);
  console.log(`peak RSS of ours over the input size: ${((ours.peakRssMiB ?? 0) * 1.048576 / mb).toFixed(2)}× (one copy of the rows is ~1× plus the key strings and the canonical output buffer)`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
