/**
 * `balkan-audit verify --all` over a year of nightly commits: a repository of `--nights` signed,
 * MACed snapshot commits (five resources of `--rows` rows; one or two change each night) with a
 * hand edit buried in the middle (edited, then reverted), verified by the built CLI with the
 * redaction key and the public key, and anchored on native git checking every signature
 * (`git log --show-signature`). `pnpm bench verify [--nights 365] [--rows 2000]`.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { manifestKey, openPgpSigner, openSnapshotStore, type Manifest } from '@balkan-audit/store';
import { BIN } from '../helpers/cli.js';
import { gitWithGpg, signingKey } from '../helpers/gpg.js';
import { benchArgs, formatMeasurement, machineLine, measureCommand, measureNode, ratioLine, type Measurement } from './harness.js';

const args = benchArgs({ nights: '365', rows: '2000' });
const nights = Number(args['nights']);
const rows = Number(args['rows']);
const work = fileURLToPath(new URL('../../.bench/verify/', import.meta.url));
const repo = join(work, 'repo');
const REDACTION_KEY = 'bench-redaction-key-0e5d';
const RESOURCES = ['apps', 'campaigns', 'entity-rules', 'integrations', 'labels'];

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const key = await signingKey('bench@localhost');
const signer = await openPgpSigner({ armoredKey: key.privateKey, passphrase: key.passphrase });
const macKey = manifestKey(REDACTION_KEY);
writeFileSync(join(work, 'public.asc'), key.publicKey);

// A resource's file on night n: row i changes on the nights that are multiples of its period.
const period: Record<string, number> = { apps: 30, campaigns: 7, 'entity-rules': 90, integrations: 3, labels: 1 };
const csv = (resource: string, n: number) => {
  const lines = ['ID,Name,Status,Updated'];
  const version = Math.floor(n / period[resource]!);
  for (let i = 1; i <= rows; i++) lines.push(`${i},${resource} ${i},${i % 7 === version % 7 ? 'changed' : 'active'},v${i % 97 === version % 97 ? version : 0}`);
  return `${lines.join('\n')}\n`;
};

const started = performance.now();
execFileSync('git', ['init', '-q', '-b', 'main', repo]);
const store = await openSnapshotStore({ dir: repo });
const author = { name: 'bench', email: 'bench@localhost' };
const gitEnv = { ...process.env, GIT_AUTHOR_NAME: 'someone', GIT_AUTHOR_EMAIL: 'someone@localhost', GIT_COMMITTER_NAME: 'someone', GIT_COMMITTER_EMAIL: 'someone@localhost', GIT_CONFIG_GLOBAL: '/dev/null' };
let buried = '';
for (let n = 1; n <= nights; n++) {
  const files = new Map(RESOURCES.map((r) => [r, Buffer.from(csv(r, n))]));
  const manifest: Manifest = {
    schemaVersion: 1, tenant: 'bench', generatedAt: new Date(Date.UTC(2025, 0, n)).toISOString(), redactionKeyId: macKey.keyId,
    resources: Object.fromEntries([...files].map(([r, content]) => [r, {
      status: 'ok' as const, rows, columns: ['ID', 'Name', 'Status', 'Updated'], rawSha256: null, canonicalSha256: createHash('sha256').update(content).digest('hex'), fetchedAt: null,
    }])),
  };
  await store.commitSnapshot({ files, manifest, message: `snapshot bench night ${n}`, author, macKey, signer, now: new Date(Date.UTC(2025, 0, n)) });
  if (n === Math.floor(nights / 2)) {
    const file = join(repo, 'snapshots', 'integrations.csv');
    writeFileSync(file, readFileSync(file, 'utf8').replace('1,integrations 1,', '1,integrations one,'));
    execFileSync('git', ['commit', '-qam', 'hand edit'], { cwd: repo, env: gitEnv });
    buried = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim();
    execFileSync('git', ['revert', '--no-edit', 'HEAD'], { cwd: repo, env: gitEnv });
  }
}
const commits = Number(execFileSync('git', ['rev-list', '--count', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim());
console.error(`generated ${commits} commits in ${((performance.now() - started) / 1000).toFixed(1)} s`);

const results: Measurement[] = [];
const run = async (m: Promise<Measurement>) => { const r = await m; results.push(r); console.error(formatMeasurement(r)); return r; };
const cliEnv = { BALKAN_AUDIT_REDACTION_KEY: REDACTION_KEY, CI: 'true' };
const problemLines = (m: Measurement) => m.stdout.split('\n').filter((line) => /^[0-9a-f]{12} /.test(line));
// The buried edit is found (exit 1): its mismatch, and with the public key it and its revert as unsigned.
const verifyAll = (label: string, extra: readonly string[], exitCode: number) => run(measureNode(label, BIN, ['verify', '--all', '--repo', repo, ...extra], { built: true, env: cliEnv, exitCode }));
const signed = await verifyAll('verify --all (MAC + signatures)', ['--public-key', join(work, 'public.asc')], 1);
if (problemLines(signed).length !== 3 || !problemLines(signed)[0]!.startsWith(`${buried.slice(0, 12)} "hand edit": mismatch`)) throw new Error(`expected the buried edit, got\n${signed.stdout}`);
const macOnly = await verifyAll('verify --all (MAC, no signatures)', [], 1);
if (problemLines(macOnly).length !== 1) throw new Error(`expected the buried edit, got\n${macOnly.stdout}`);
await verifyAll('verify --all --since HEAD~30 (MAC + signatures)', ['--since', 'HEAD~30', '--public-key', join(work, 'public.asc')], 0);
const gpgGit = gitWithGpg(work, key.publicKey);
const nativeStarted = performance.now();
const native = gpgGit(repo, 'log', '--show-signature', '--format=%H');
const nativeLog: Measurement = { label: 'git log --show-signature (every commit)', wallSeconds: (performance.now() - nativeStarted) / 1000, peakRssMiB: null, stdout: native.out };
results.push(nativeLog);
console.error(formatMeasurement(nativeLog));
const good = native.out.match(/Good signature/g)?.length ?? 0;
if (good !== nights) throw new Error(`native git found ${good} good signatures, expected ${nights}`);
await run(measureCommand('git fsck --strict', 'git', ['fsck', '--strict', '--no-dangling'], { cwd: repo }));

console.log(`Machine: ${machineLine()}; ${commits} commits (${nights} signed nights + a buried edit and its revert), 5 files of ${rows} rows\n`);
console.log('| step | wall s | peak RSS MiB |\n|---|---:|---:|');
for (const m of results) console.log(`| ${m.label} | ${m.wallSeconds.toFixed(2)} | ${m.peakRssMiB === null ? '—' : m.peakRssMiB.toFixed(0)} |`);
console.log('');
console.log(ratioLine(signed, nativeLog));
console.log(ratioLine(macOnly, nativeLog));
rmSync(work, { recursive: true, force: true });
