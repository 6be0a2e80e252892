/**
 * Snapshot store benchmark: commit a large canonical CSV into a fresh repository and read it back
 * at HEAD, with @balkan-audit/store, with plain isomorphic-git (reference) and with native git
 * (anchor). `pnpm bench store [--mb 266]` (or `--rows N`, ~100 bytes a row, for a quick run).
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchArgs, formatMeasurement, machineLine, measureCommand, measureNode, ratioLine, type Measurement } from './harness.js';

const args = benchArgs({ mb: '266', rows: '' });
const bytes = args['rows'] !== '' ? Number(args['rows']) * 100 : Number(args['mb']) * 2 ** 20;
const work = fileURLToPath(new URL('../../.bench/store/', import.meta.url));
const steps = fileURLToPath(new URL('./steps/', import.meta.url));
const path = 'snapshots/bench.csv';

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const source = join(work, 'bench.csv');
await generateCsv(source, bytes);

const gitEnv = { GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@localhost', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@localhost', GIT_CONFIG_GLOBAL: '/dev/null' };
const repo = (name: string, withFile: boolean): string => {
  const dir = join(work, name);
  mkdirSync(join(dir, 'snapshots'), { recursive: true });
  execFileSync('git', ['init', '-q', '-b', 'main', dir]);
  if (withFile) copyFileSync(source, join(dir, path));
  return dir;
};

const ours = repo('ours', false);
const iso = repo('isogit', true);
const native = repo('native', true);
const results: Measurement[] = [];
const run = async (m: Promise<Measurement>) => { const r = await m; results.push(r); console.error(formatMeasurement(r)); return r; };

const oursCommit = await run(measureNode('store commitSnapshot', join(steps, 'store-commit.ts'), ['--file', source, '--repo', ours]));
const isoCommit = await run(measureNode('isomorphic-git add + commit', join(steps, 'store-isogit.ts'), ['--mode', 'commit', '--repo', iso, '--path', path]));
const nativeCommit = await run(measureCommand('git add && git commit', 'sh', ['-c', `git add ${path} && git commit -q -m 'bench snapshot'`], { cwd: native, env: gitEnv }));
const oursRead = await run(measureNode('store readResource', join(steps, 'store-read.ts'), ['--repo', ours]));
const isoRead = await run(measureNode('isomorphic-git readBlob', join(steps, 'store-isogit.ts'), ['--mode', 'read', '--repo', iso, '--path', path]));
const nativeRead = await run(measureCommand('git show HEAD:file', 'sh', ['-c', `git show HEAD:${path} > /dev/null`], { cwd: native, env: gitEnv }));
execFileSync('git', ['fsck', '--strict'], { cwd: ours });
const expected = execFileSync('git', ['rev-parse', `HEAD:${path}`], { cwd: native, encoding: 'utf8' }).trim();
const written = execFileSync('git', ['rev-parse', `HEAD:${path}`], { cwd: ours, encoding: 'utf8' }).trim();
if (written !== expected) throw new Error(`store wrote blob ${written}, native git ${expected}`);
if (!isoRead.stdout.startsWith(oursRead.stdout.split(' ')[0]!)) throw new Error('store and isomorphic-git read different lengths');

console.log(`Machine: ${machineLine()}; file ${(bytes / 2 ** 20).toFixed(0)} MiB\n`);
console.log('| step | wall s | peak RSS MiB |\n|---|---:|---:|');
for (const m of results) console.log(`| ${m.label} | ${m.wallSeconds.toFixed(2)} | ${m.peakRssMiB === null ? '—' : m.peakRssMiB.toFixed(0)} |`);
console.log('');
for (const line of [ratioLine(oursCommit, nativeCommit), ratioLine(oursCommit, isoCommit), ratioLine(oursRead, nativeRead), ratioLine(oursRead, isoRead)]) console.log(line);
rmSync(work, { recursive: true, force: true });

/** Deterministic CSV-like text: an id, a few pseudo-random words and a number per line. */
async function generateCsv(file: string, size: number): Promise<void> {
  const words = ['okta', 'jira', 'github', 'slack', 'aws', 'admin', 'reviewer', 'active', 'pending', 'completed', 'label', 'campaign'];
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
  const out = createWriteStream(file);
  let written = 0;
  let id = 0;
  while (written < size) {
    const lines: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      lines.push(`${++id},${words[next() % 12]} ${words[next() % 12]} ${next().toString(36)},${words[next() % 12]},${next() % 100000},"${next().toString(16)} ${next().toString(16)}"\n`);
    }
    const chunk = lines.join('');
    written += chunk.length;
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}
