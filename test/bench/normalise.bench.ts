// `pnpm bench normalise --rows N`: normalise a synthetic integrations export (default 1,000,000
// rows, ~260 MB, shuffled) and compare with plain csv-parse over the same file, each in its own
// child process (wall time and peak RSS per step). Then an incremental night: the first night
// (`before`, no cache) writes a snapshot and a raw digest cache; the second night normalises
// `after` (same generator, ~2% of records differ, reshuffled) reusing every unchanged row.
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
const generate = async (variant: 'before' | 'after'): Promise<string> => {
  const file = join(dir, `integrations-${variant}.csv`);
  await pipeline(generateSyntheticExport({ rows: Number(args.rows), seed: Number(args.seed), variant, shuffle: true }), createWriteStream(file));
  return file;
};
try {
  const file = await generate('before');
  const after = await generate('after');
  const mb = (await stat(file)).size / 1e6;
  const afterMb = (await stat(after)).size / 1e6;
  const snapshot = join(dir, 'snapshot.csv');
  const cache = join(dir, 'integrations.digests');
  const anchor = await measureNode('csv-parse (records only)', step('normalise-csv-parse'), [file]);
  const ours = await measureNode('normaliseCsv + serialiseCanonical', step('normalise-schema'), [file]);
  const firstNight = await measureNode('first night (full + digests, writes cache)', step('normalise-first-night'), [file, snapshot, cache]);
  const night = await measureNode('incremental night (load prev + normalise)', step('normalise-incremental'), [after, snapshot, cache]);
  const result = JSON.parse(ours.stdout.trim()) as { rows: number; canonicalBytes: number };
  const first = JSON.parse(firstNight.stdout.trim()) as { normaliseSeconds: number };
  const inc = JSON.parse(night.stdout.trim()) as { rows: number; reused: number; digested: boolean; loadSeconds: number; normaliseSeconds: number };
  const rate = (m: Measurement, size = mb): string => `${(size / m.wallSeconds).toFixed(1)} MB/s`;
  console.log(`${machineLine()}\n${args.rows} rows, ${mb.toFixed(0)} MB shuffled input; ${result.rows} canonical rows, ${(result.canonicalBytes / 1e6).toFixed(0)} MB out; digest cache ${((await stat(cache)).size / 1e6).toFixed(1)} MB\n`);
  console.log('| step | wall s | peak RSS MiB | throughput |\n|---|---:|---:|---:|');
  for (const m of [anchor, ours, firstNight]) console.log(`| ${m.label} | ${m.wallSeconds.toFixed(2)} | ${m.peakRssMiB?.toFixed(0) ?? '—'} | ${rate(m)} |`);
  console.log(`| ${night.label} | ${night.wallSeconds.toFixed(2)} | ${night.peakRssMiB?.toFixed(0) ?? '—'} | ${rate(night, afterMb)} |`);
  console.log(`\nfirst night: normaliseIncremental ${first.normaliseSeconds.toFixed(2)} s in process`);
  console.log(`incremental night: ${inc.reused} of ${inc.rows} rows reused (${(100 * inc.reused / inc.rows).toFixed(1)}%), digests ${inc.digested ? 'written' : 'NOT written'}; previous snapshot + cache loaded in ${inc.loadSeconds.toFixed(2)} s, normaliseIncremental ${inc.normaliseSeconds.toFixed(2)} s (${(afterMb / inc.normaliseSeconds).toFixed(0)} MB/s) in process`);
  console.log(`\n${formatMeasurement(anchor)}\n${formatMeasurement(ours)}\n${formatMeasurement(firstNight)}\n${formatMeasurement(night)}\n${ratioLine(ours, anchor)}\n${ratioLine(night, anchor)}`);
  console.log(`peak RSS of ours over the input size: ${((ours.peakRssMiB ?? 0) * 1.048576 / mb).toFixed(2)}× (one copy of the rows is ~1× plus the key strings and the canonical output buffer)`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
