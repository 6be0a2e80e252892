/**
 * `pnpm bench history [--rows 10000] [--nights 365] [--runs 5] [--packed no|yes]` (issue 13): a
 * year of nightly snapshot commits of one synthetic integrations resource (~1% of its rows changed
 * a night, and one scripted record added, changed twice, removed, re-added and changed), built
 * with the store API directly; then the built `balkan-audit history integrations <id>` against
 * native git's `git log -p -- snapshots/integrations.csv | grep <id>` on the same repository,
 * alternating, `--runs` times each. Targets: ≤ 2 s, and no slower than the git anchor.
 * `--packed yes` measures both again after `git gc` (a clone's repository is packed).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchArgs, machineLine, measureCommand, measureNode, type Measurement } from './harness.js';
import { buildHistoryRepo } from './history-repo.js';

const args = benchArgs({ rows: '10000', nights: '365', runs: '5', seed: '11', packed: 'no' });
const work = join(tmpdir(), 'balkan-audit-bench-history');
const bin = fileURLToPath(new URL('../../apps/reporter/bin/balkan-audit.js', import.meta.url));
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const repo = join(work, 'audit');

const started = process.hrtime.bigint();
const built = await buildHistoryRepo({ dir: repo, rows: Number(args.rows), nights: Number(args.nights), seed: Number(args.seed) });
const buildSeconds = Number(process.hrtime.bigint() - started) / 1e9;
const { resource, scripted } = built;
const file = `snapshots/${resource}.csv`;
console.error(`built ${built.commits} commits of a ${(built.fileBytes / 1e6).toFixed(2)} MB file in ${buildSeconds.toFixed(1)} s`);

// The command must be right before it is timed: the scripted record's six entries, in order.
const answer = JSON.parse(execFileSync(process.execPath, [bin, 'history', resource, scripted.id, '--repo', repo, '--format', 'json'], { encoding: 'utf8' })) as {
  entries: Array<{ event: string; changes: Array<{ field: string }> }>;
};
const expected = scripted.nights.map((n) => n.event).reverse();
if (answer.entries.map((e) => e.event).join() !== expected.join()) throw new Error(`history gave ${answer.entries.map((e) => e.event).join()}, expected ${expected.join()}`);
for (const [i, night] of [...scripted.nights].reverse().entries()) {
  if (night.event !== 'changed') continue;
  const fields = [...new Set(answer.entries[i]!.changes.map((c) => c.field))];
  if (fields.join() !== night.fields.join()) throw new Error(`entry ${i} changed ${fields.join()}, expected ${night.fields.join()}`);
}

interface Row { label: string; runs: Measurement[] }
const rows: Row[] = [];

async function measureBoth(dir: string, label: string): Promise<void> {
  const ours: Row = { label: `balkan-audit history ${resource} ${scripted.id}${label}`, runs: [] };
  const anchor: Row = { label: `git log -p -- ${file} \\| grep ${scripted.id}${label}`, runs: [] };
  for (let i = 0; i < Number(args.runs); i++) {
    ours.runs.push(await measureNode(ours.label, bin, ['history', resource, scripted.id, '--repo', dir], { built: true }));
    anchor.runs.push(await measureCommand(anchor.label, 'sh', ['-c', `git log -p -- ${file} | grep ${scripted.id}`], { cwd: dir }));
    console.error(`run ${i + 1}: ours ${ours.runs.at(-1)!.wallSeconds.toFixed(2)} s, git ${anchor.runs.at(-1)!.wallSeconds.toFixed(2)} s (load ${loadavg()[0]!.toFixed(1)})`);
  }
  rows.push(ours, anchor);
}

const size = (dir: string): string => execFileSync('du', ['-sh', join(dir, '.git')], { encoding: 'utf8' }).split('\t')[0]!;
const sizes = [`loose: .git ${size(repo)}`];
await measureBoth(repo, '');
if (args.packed === 'yes') {
  const packed = join(work, 'packed');
  cpSync(repo, packed, { recursive: true });
  execFileSync('git', ['gc', '-q'], { cwd: packed });
  sizes.push(`packed: .git ${size(packed)}`);
  await measureBoth(packed, ' (packed)');
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
console.log(`Machine: ${machineLine()}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.log(`Repository: ${built.commits} commits, ${args.rows} rows, ${(built.fileBytes / 1e6).toFixed(2)} MB file, record at its middle; ${sizes.join(', ')}; built in ${buildSeconds.toFixed(1)} s\n`);
console.log('| step | runs | median s | range s | peak RSS MiB |\n|---|---:|---:|---:|---:|');
for (const row of rows) {
  const walls = row.runs.map((r) => r.wallSeconds);
  const rss = row.runs.map((r) => r.peakRssMiB).filter((r): r is number => r !== null);
  console.log(`| ${row.label} | ${walls.length} | ${median(walls).toFixed(2)} | ${Math.min(...walls).toFixed(2)} – ${Math.max(...walls).toFixed(2)} | ${rss.length ? `${Math.min(...rss).toFixed(0)} – ${Math.max(...rss).toFixed(0)}` : '—'} |`);
}
for (let i = 0; i < rows.length; i += 2) {
  const ours = median(rows[i]!.runs.map((r) => r.wallSeconds));
  const git = median(rows[i + 1]!.runs.map((r) => r.wallSeconds));
  console.log(`\n${rows[i]!.label}: median ${ours.toFixed(2)} s (target ≤ 2 s: ${ours <= 2 ? 'met' : 'NOT met'}), ${(git / ours).toFixed(1)}× the git anchor's speed (target ≥ 1: ${ours <= git ? 'met' : 'NOT met'})`);
}
rmSync(work, { recursive: true, force: true });
