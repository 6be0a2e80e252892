/**
 * `pnpm bench nightly --rows N` (default 1,000,000): the whole nightly cycle for one large
 * synthetic integrations resource, as cron would run it — the built `balkan-audit snapshot` in its
 * own process against an in-process sandbox (export → normalise → diff against HEAD → commit →
 * change set) — for a baseline night, a changed night (0.5% removed, 0.5% added, 1% changed,
 * shuffled) and an unchanged night. Anchors measured in the same run: native `git add && git commit`
 * of the same canonical file, and daff's library diff of the same two raw exports.
 * Targets (issue 5): changed night ≤ 12 s and ≤ 1 GiB; unchanged night ≤ 1.5 s.
 * The machine is shared and noisy, so the changed night runs `--changed N` times (each from a copy
 * of the repository after the baseline) and the unchanged night `--unchanged N` times; the table
 * gives the median and the range.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createExportClient } from '@balkan-audit/client';
import { createSandbox, generateSyntheticExport, type SyntheticSpec } from '@balkan-audit/sandbox';
import { benchArgs, formatMeasurement, machineLine, measureCommand, measureNode, ratioLine, type Measurement } from './harness.js';

const args = benchArgs({ rows: '1000000', seed: '11', daff: 'yes', changed: '3', unchanged: '5' });
const rows = Number(args.rows);
const seed = Number(args.seed);
// Outside the project checkout: the audit repository must be a repository of its own.
const work = join(tmpdir(), 'balkan-audit-bench-nightly');
const bin = fileURLToPath(new URL('../../apps/reporter/bin/balkan-audit.js', import.meta.url));
const daffStep = fileURLToPath(new URL('./steps/compare-daff.ts', import.meta.url));
const bareStep = fileURLToPath(new URL('./steps/export-bare.mjs', import.meta.url));
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

const keys = { apiKeyId: 'bench-key-id', apiKeySecret: 'bench-key-secret-9a7c' };
const sandbox = createSandbox({ ...keys, readyAfterPolls: 1 });
const { apiUrl } = await sandbox.listen(0);
const repo = join(work, 'audit');
mkdirSync(repo);
const env = {
  BALKANID_BASE_URL: apiUrl,
  BALKANID_API_KEY_ID: keys.apiKeyId,
  BALKANID_API_KEY_SECRET: keys.apiKeySecret,
  BALKAN_AUDIT_REDACTION_KEY: 'bench-redaction-key',
  BALKAN_AUDIT_AUTHOR_NAME: 'bench',
  BALKAN_AUDIT_AUTHOR_EMAIL: 'bench@localhost',
};
const snapshot = (label: string, format = 'json'): Promise<Measurement> => measureNode(label, bin, [
  'snapshot', '--repo', repo, '--resources', 'integrations', '--poll-interval', '0.05', '--out', join(work, 'report'), '--format', format,
], { env, built: true });

// The sandbox writes a synthetic export to disk on its first request; do that outside the
// measurement, so the nights measure balkan-audit and not the simulator's generator.
const warmClient = createExportClient({ baseUrl: apiUrl, ...keys, poll: { initialDelayMs: 50 } });
const serve = async (spec: SyntheticSpec): Promise<void> => {
  sandbox.setSynthetic(spec);
  await warmClient.exportToFile(spec.resource, join(work, 'warm-up.csv'));
  rmSync(join(work, 'warm-up.csv'));
};

const results: Measurement[] = [];
const record = (m: Measurement): Measurement => { results.push(m); console.error(formatMeasurement(m)); return m; };
/** Runs each step `times` times, interleaved; for each, the median run stands for them all, labelled with the range. */
const repeatEach = async (times: number, steps: ReadonlyArray<() => Promise<Measurement>>): Promise<Measurement[]> => {
  const runs: Measurement[][] = steps.map(() => []);
  for (let i = 0; i < times; i++) {
    for (const [j, step] of steps.entries()) {
      const m = await step();
      console.error(formatMeasurement(m));
      runs[j]!.push(m);
    }
  }
  return runs.map((r) => summarise(r));
};
const repeat = async (times: number, step: () => Promise<Measurement>): Promise<Measurement> => (await repeatEach(times, [step]))[0]!;
const summarise = (runs: readonly Measurement[]): Measurement => {
  const times = runs.length;
  const sorted = [...runs].sort((a, b) => a.wallSeconds - b.wallSeconds);
  const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
  const rss = runs.map((m) => m.peakRssMiB ?? 0);
  const range = `${times} runs: ${sorted[0]!.wallSeconds.toFixed(2)}–${sorted[sorted.length - 1]!.wallSeconds.toFixed(2)} s, ${Math.min(...rss).toFixed(0)}–${Math.max(...rss).toFixed(0)} MiB`;
  const m = { ...median, label: `${median.label} (median of ${range})`, peakRssMiB: Math.max(...rss) };
  results.push(m);
  return m;
};
try {
  await serve({ resource: 'integrations', rows, seed, variant: 'before', shuffle: true });
  record(await snapshot('snapshot: baseline night'));
  const afterBaseline = join(work, 'audit-after-baseline');
  // Timestamps kept: the index's stat cache must still match the working tree, as it does in the
  // repository a real night runs in (otherwise the uncommitted-edit check re-reads the file).
  cpSync(repo, afterBaseline, { recursive: true, preserveTimestamps: true });
  await serve({ resource: 'integrations', rows, seed, variant: 'after', shuffle: true });
  // The changed night writing the JSON change set only, and all three reports (issue 12: at most
  // 15% more), in turns, each from the same copy of the repository.
  const changedNight = (label: string, format: string) => async (): Promise<Measurement> => {
    rmSync(repo, { recursive: true, force: true });
    cpSync(afterBaseline, repo, { recursive: true, preserveTimestamps: true });
    return snapshot(label, format);
  };
  const [changed, reported] = await repeatEach(Number(args.changed), [
    changedNight('snapshot: changed night (JSON)', 'json'),
    changedNight('snapshot: changed night (md + html + json)', 'md,html,json'),
  ]) as [Measurement, Measurement];
  const unchanged = await repeat(Number(args.unchanged), () => snapshot('snapshot: unchanged night'));
  // Anchor for the unchanged night: what it cannot skip (start Node, request, poll, download),
  // with bare fetch and nothing else, in a process of its own.
  const bareEnv = { BENCH_API_URL: apiUrl, BENCH_API_KEY_ID: keys.apiKeyId, BENCH_API_KEY_SECRET: keys.apiKeySecret };
  const bare = await repeat(Number(args.unchanged), () => measureNode('bare fetch of the same export (anchor)', bareStep, [], { env: bareEnv, built: true }));
  if (execFileSync('git', ['rev-list', '--count', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim() !== '2') {
    throw new Error('expected exactly two commits (baseline, changed night)');
  }

  // Anchor 1: native git committing the same canonical file into a fresh repository.
  const native = join(work, 'native');
  mkdirSync(join(native, 'snapshots'), { recursive: true });
  execFileSync('git', ['init', '-q', '-b', 'main', native]);
  execFileSync('sh', ['-c', `git -C '${repo}' show HEAD:snapshots/integrations.csv > '${join(native, 'snapshots', 'integrations.csv')}'`]);
  const gitEnv = { GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@localhost', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@localhost', GIT_CONFIG_GLOBAL: '/dev/null' };
  const nativeCommit = record(await measureCommand('native git add && git commit', 'sh', ['-c', 'git add snapshots && git commit -qm bench'], { cwd: native, env: gitEnv }));

  // Anchor 2: daff's library diff of the same two raw exports.
  let daff: Measurement | null = null;
  if (args.daff === 'yes') {
    const files = { before: join(work, 'before.csv'), after: join(work, 'after.csv') };
    for (const variant of ['before', 'after'] as const) {
      await pipeline(generateSyntheticExport({ rows, seed, variant, shuffle: true }), createWriteStream(files[variant]));
    }
    daff = record(await measureNode('daff library diff (anchor)', daffStep, [files.before, files.after, 'ID*']));
  }

  console.log(`machine: ${machineLine()}; ${rows.toLocaleString('en')} rows; load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
  console.log('| step | wall s | peak RSS MiB |\n|---|---:|---:|');
  for (const m of results) console.log(`| ${m.label} | ${m.wallSeconds.toFixed(2)} | ${m.peakRssMiB === null ? '—' : m.peakRssMiB.toFixed(0)} |`);
  console.log('');
  console.log(ratioLine(changed, nativeCommit));
  if (daff) console.log(ratioLine(changed, daff));
  console.log(`changed night: median ${changed.wallSeconds.toFixed(2)} s (target ≤ 12 s), peak ${changed.peakRssMiB?.toFixed(0)} MiB (target ≤ 1024 MiB)`);
  console.log(`changed night writing md + html + json: median ${reported.wallSeconds.toFixed(2)} s, ${((reported.wallSeconds / changed.wallSeconds - 1) * 100).toFixed(1)}% over JSON only (target ≤ 15%), peak ${reported.peakRssMiB?.toFixed(0)} MiB`);
  console.log(`unchanged night: median ${unchanged.wallSeconds.toFixed(2)} s (target ≤ 1.5 s); a bare fetch of the same export: median ${bare.wallSeconds.toFixed(2)} s`);
} finally {
  await sandbox.close();
  rmSync(work, { recursive: true, force: true });
}
