/**
 * `pnpm bench compare --rows N` (default 1,000,000): two shuffled synthetic integrations exports
 * (night `before` and `after`: 0.5% removed, 0.5% added, 1% changed; ~266 bytes a row) compared
 * by `balkan-audit compare … --format json` (the CLI's own code path, change set written to a
 * file) and by daff's library (the anchor), each in its own child process, at rows/4 and at rows
 * to show the cost grows linearly. `--daff no` skips the anchor. daff aligns on the ID column
 * (`--daff-align default` lets it infer the alignment instead, which is much slower on these
 * shuffled files: over 5 minutes at 1M rows).
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { generateSyntheticExport } from '@balkan-audit/sandbox';
import { benchArgs, formatMeasurement, machineLine, measureNode, ratioLine, type Measurement } from './harness.js';

const args = benchArgs({ rows: '1000000', seed: '7', daff: 'yes', 'daff-align': 'key' });
const rows = Number(args.rows);
const sizes = [Math.max(1, Math.floor(rows / 4)), rows];
const step = (name: string): string => fileURLToPath(new URL(`./steps/${name}.ts`, import.meta.url));
const dir = await mkdtemp(join(tmpdir(), 'bench-compare-'));

interface Result { readonly m: Measurement; readonly rows: number; readonly mb: number; readonly counts: string }
const results: Result[] = [];
try {
  for (const size of sizes) {
    const files = { before: join(dir, `before-${size}.csv`), after: join(dir, `after-${size}.csv`) };
    for (const variant of ['before', 'after'] as const) {
      await pipeline(generateSyntheticExport({ rows: size, seed: Number(args.seed), variant, shuffle: true }), createWriteStream(files[variant]));
    }
    const mb = ((await stat(files.before)).size + (await stat(files.after)).size) / 1e6;
    const label = (name: string): string => `${name} ${size.toLocaleString('en')} rows`;
    const ours = await measureNode(label('balkan-audit compare'), step('compare-ours'), [files.before, files.after, join(dir, `change-set-${size}.json`)]);
    results.push({ m: ours, rows: size, mb, counts: ours.stdout.trim() });
    await rm(join(dir, `change-set-${size}.json`), { force: true });
    if (args.daff === 'yes') {
      const anchor = await measureNode(label('daff library'), step('compare-daff'), [files.before, files.after, ...(args['daff-align'] === 'key' ? ['ID*'] : [])]);
      results.push({ m: anchor, rows: size, mb, counts: anchor.stdout.trim() });
    }
    await rm(files.before, { force: true });
    await rm(files.after, { force: true });
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}

console.log(`machine: ${machineLine()}; load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
console.log('| step | rows | input MB (both) | wall s | peak RSS MiB | result |');
console.log('|---|---:|---:|---:|---:|---|');
for (const { m, rows: n, mb, counts } of results) {
  console.log(`| ${m.label} | ${n.toLocaleString('en')} | ${mb.toFixed(0)} | ${m.wallSeconds.toFixed(2)} | ${m.peakRssMiB?.toFixed(0) ?? '—'} | \`${counts}\` |`);
}
console.log('');
for (const { m } of results) console.log(formatMeasurement(m));
const find = (prefix: string, n: number): Result | undefined => results.find((r) => r.m.label.startsWith(prefix) && r.rows === n);
const [small, large] = [find('balkan-audit', sizes[0]!)!, find('balkan-audit', sizes[1]!)!];
for (const n of sizes) {
  const anchor = find('daff', n);
  if (anchor) console.log(ratioLine(find('balkan-audit', n)!.m, anchor.m));
}
console.log(`growth rows/4 → rows: ${(large.m.wallSeconds / small.m.wallSeconds).toFixed(2)}× the time for 4× the rows (linear = 4×; process start-up is included)`);
