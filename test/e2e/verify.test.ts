import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRedactor } from '@balkan-audit/schema';
import { runCli, type CliRun } from '../helpers/cli.js';
import { git } from '../helpers/git.js';
import { gitWithGpg, gpgAvailable, signingKey } from '../helpers/gpg.js';
import { canonical, eventKinds, NO_KEY, REDACTION_KEY, startNight, type Night } from '../helpers/night.js';

// Issue 13: verify --all walks history; the manifest MAC; signed commits. The built CLI against the
// sandbox, checked with native git (and gpg).
let night: Night;
beforeEach(async () => { night = await startNight(); });
afterEach(async () => {
  expect(night.sandbox.counters.storageRequestsWithApiKey).toBe(0);
  await night.close();
});

/** `count` nights alternating the sandbox's two states (from `start`), each one a commit. */
async function nights(count: number, args: readonly string[] = [], env: Record<string, string> = {}, start: 1 | 2 = 1): Promise<void> {
  for (let n = 0; n < count; n++) {
    night.sandbox.setNight((n + start) % 2 === 1 ? 1 : 2);
    const run = await night.snapshot(args, env);
    expect(run.code, run.stderr).toBe(0);
  }
}

function verify(args: readonly string[] = [], env: Record<string, string> = {}): Promise<CliRun> {
  return runCli(['verify', '--repo', night.repo, ...args], { env: night.env(env), cwd: night.root });
}

function head(): string {
  return git(night.repo, 'rev-parse', 'HEAD').trim();
}

async function commitByHand(path: string, content: string, message: string): Promise<string> {
  await writeFile(join(night.repo, path), content);
  git(night.repo, 'add', path);
  git(night.repo, 'commit', '-qm', message);
  return head();
}

describe('verify --all', () => {
  it('names a hand edit buried in history that a later commit put back; verify of the tip does not see it', async () => {
    await nights(2);
    const file = 'snapshots/integrations.csv';
    const original = await readFile(join(night.repo, file), 'utf8');
    const edit = await commitByHand(file, original.replace(/^(7,Workday,.*?,)inactive,/m, '$1active,'), 'Workday is active again');
    await commitByHand(file, original, 'put it back');
    await nights(2);

    expect((await verify()).code).toBe(0);
    const all = await verify(['--all']);
    expect(all.code).toBe(1);
    const problems = all.stdout.split('\n').filter((line) => /^[0-9a-f]{12} /.test(line));
    expect(problems).toEqual([expect.stringMatching(new RegExp(`^${edit.slice(0, 12)} "Workday is active again": mismatch snapshots/integrations\\.csv \\(manifest [0-9a-f]{12}, file [0-9a-f]{12}\\)$`))]);
    expect(all.stdout).toMatch(/^verified 6 commit\(s\) that touched snapshots\/, from [0-9a-f]{12}: 1 problem\(s\)$/m);
    expect(all.stdout).toMatch(/^MAC: 6 valid$/m);

    const json = JSON.parse((await verify(['--all', '--json'])).stdout);
    expect(json.problems).toEqual([expect.objectContaining({ commit: edit, subject: 'Workday is active again', kind: 'mismatch', path: file, resource: 'integrations' })]);
    expect(json.macKey).toBe('env');
    // --since leaves the edit out.
    expect((await verify(['--all', '--since', edit])).code).toBe(0);
  });

  it('refuses --since and --public-key without --all', async () => {
    await nights(1);
    const run = await verify(['--since', 'HEAD']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error [CLI_INVALID_OPTION]: --since goes with --all');
  });
});

describe('the manifest MAC', () => {
  /** Someone without the key edits a snapshot file and its hash and blob id in the manifest. */
  async function forge(): Promise<string> {
    await nights(2);
    const file = join(night.repo, 'snapshots', 'integrations.csv');
    const edited = (await readFile(file, 'utf8')).replace(/^(7,Workday,.*?,)inactive,/m, '$1active,');
    await writeFile(file, edited);
    const manifestFile = join(night.repo, 'snapshots', 'manifest.json');
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8'));
    manifest.resources.integrations.canonicalSha256 = createHash('sha256').update(edited).digest('hex');
    manifest.resources.integrations.blobId = git(night.repo, 'hash-object', 'snapshots/integrations.csv').trim();
    await writeFile(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
    git(night.repo, 'commit', '-qam', 'Workday is active again');
    return head();
  }

  it('a file + manifest hash edit made without the key fails the MAC; without the key verify says it could not check', async () => {
    const edit = await forge();
    const keyed = await verify();
    expect(keyed.code).toBe(1);
    expect(keyed.stdout).toMatch(new RegExp(`^bad-mac\\s+snapshots/manifest\\.json \\(the manifest does not match its MAC: edited without the redaction key\\), changed by commit ${edit.slice(0, 12)}$`, 'm'));
    expect(keyed.stdout).toMatch(/^ok\s+snapshots\/integrations\.csv$/m);

    const keyless = await verify([], NO_KEY);
    expect(keyless.code).toBe(0);
    expect(keyless.stdout).toContain('mac       snapshots/manifest.json MAC not checked: no redaction key: set BALKAN_AUDIT_REDACTION_KEY');
  });

  it('the next night trusts nothing the forged manifest says: every resource tampered, rebuilt, and MACed again', async () => {
    const edit = await forge();
    night.sandbox.setNight(2);
    const run = await night.snapshot(['--detailed-exitcode']);
    expect(run.code).toBe(2);
    expect(run.stderr).not.toContain('export identical to the last one');
    const report = await night.report();
    for (const resource of report.resources) {
      expect(resource.events[0]).toMatchObject({ severity: 'high', kind: 'snapshot.tampered' });
      expect(resource.events[0]!.summary).toContain(`snapshots/manifest.json was changed outside balkan-audit in commit ${edit.slice(0, 12)}`);
    }
    expect(report.resources.find((r) => r.resource === 'integrations')!.events.map((e) => e.summary)).toContain('Integration Workday: status active → inactive');
    expect(night.show('integrations')).toBe(await canonical('integrations', 2));
    expect((await verify()).code).toBe(0);
    // History still names the forged commit, and only it.
    const all = await verify(['--all']);
    expect(all.code).toBe(1);
    expect(all.stdout.split('\n').filter((line) => /^[0-9a-f]{12} /.test(line))).toEqual([
      `${edit.slice(0, 12)} "Workday is active again": bad-mac snapshots/manifest.json (the manifest does not match its MAC: edited without the redaction key)`,
    ]);
    // The night after is an ordinary unchanged night again.
    expect((await night.snapshot(['--detailed-exitcode'])).code).toBe(0);
  });

  it('a night that cannot rebuild everything the forged manifest lists leaves its manifest without a MAC, and the next night distrusts it again', async () => {
    const edit = await forge();
    night.sandbox.setNight(2);
    expect((await night.snapshot(['--resources', 'labels'])).code).toBe(0);
    expect(night.manifest()).not.toHaveProperty('mac');
    const partial = await verify();
    expect(partial.code).toBe(1);
    expect(partial.stdout).toMatch(/^mac-missing snapshots\/manifest\.json \(the manifest has no MAC, although an earlier one had\)/m);
    const full = await night.snapshot(['--detailed-exitcode']);
    expect(full.code).toBe(2);
    const tampered = (await night.report()).resources.flatMap((r) => r.events).filter((e) => e.kind === 'snapshot.tampered');
    expect(tampered).toHaveLength(5);
    expect(tampered[0]!.summary).not.toContain(edit.slice(0, 12));
    expect(night.manifest()).toHaveProperty('mac');
    expect((await verify()).code).toBe(0);
  });

  it('a manifest from before MACs is accepted, and the next night seals it once even when nothing changed', async () => {
    await nights(1);
    // As written before this version: the same commit, its manifest without a mac.
    const manifestFile = join(night.repo, 'snapshots', 'manifest.json');
    const { mac: _dropped, ...legacy } = JSON.parse(await readFile(manifestFile, 'utf8'));
    await writeFile(manifestFile, `${JSON.stringify(legacy, null, 2)}\n`);
    git(night.repo, 'commit', '-q', '--amend', '-a', '--no-edit');
    expect((await verify()).stdout).toContain('has no MAC (written before MACs were; the next night adds one)');

    const sealing = await night.snapshot(['--detailed-exitcode']);
    expect(sealing.code).toBe(0);
    expect(eventKinds(await night.report())).toEqual([]);
    expect(sealing.stderr).toMatch(/^labels: .*export identical to the last one$/m);
    expect(night.commits()).toBe(2);
    expect(night.manifest()).toHaveProperty('mac');
    expect(git(night.repo, 'diff', '--name-only', 'HEAD~1', 'HEAD')).toBe('snapshots/manifest.json\n');
    expect((await night.snapshot(['--detailed-exitcode'])).code).toBe(0);
    expect(night.commits()).toBe(2);
    expect((await verify(['--all'])).stdout).toMatch(/^MAC: 1 valid, 1 written before MACs$/m);
  });

  it('a --rekey night MACs with the new key; the manifests before it are counted as another key\'s, not failed', async () => {
    await nights(2);
    const other = { BALKAN_AUDIT_REDACTION_KEY: 'the-new-key-after-a-rotation-77' };
    night.sandbox.setNight(1);
    expect((await night.snapshot(['--rekey'], other)).code).toBe(0);
    expect(night.manifest().redactionKeyId).toBe(createRedactor(other.BALKAN_AUDIT_REDACTION_KEY).keyId);
    expect((await verify([], other)).stdout).toContain('MAC valid (key from BALKAN_AUDIT_REDACTION_KEY)');
    const all = await verify(['--all'], other);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/^MAC: 1 valid, 2 made with another redaction key \(not checked\)$/m);
    expect((await verify(['--all'], { BALKAN_AUDIT_REDACTION_KEY: REDACTION_KEY })).stdout).toMatch(/^MAC: 2 valid, 1 made with another/m);
  });
});

describe('signed snapshot commits', () => {
  it.skipIf(!gpgAvailable && !process.env.CI)('native git and verify --all accept a signed history; an unsigned commit slipped in is named', async () => {
    const key = await signingKey();
    const signing = { BALKAN_AUDIT_SIGNING_KEY: key.privateKey, BALKAN_AUDIT_SIGNING_PASSPHRASE: key.passphrase };
    night.sandbox.setNight(1);
    const first = await night.snapshot(['--sign'], signing);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^committed [0-9a-f]{12} \(snapshots\/\), signed with key [0-9A-F]{40}$/m);
    await nights(2, ['--sign'], signing, 2);
    const gitGpg = gitWithGpg(night.root, key.publicKey);
    const log = gitGpg(night.repo, 'log', '--show-signature');
    expect(log.out.match(/Good signature from "Nightly Audit <audit@example\.com>"/g)).toHaveLength(3);
    expect(gitGpg(night.repo, 'verify-commit', 'HEAD').status).toBe(0);

    await writeFile(join(night.root, 'public.asc'), key.publicKey);
    const good = await verify(['--all', '--public-key', join(night.root, 'public.asc')]);
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/^signatures: 3 good, from key [0-9A-F]{40}$/m);

    const slipped = await commitByHand('snapshots/README.md', 'nothing to see here\n', 'docs');
    await nights(1, ['--sign'], signing, 2);
    const bad = await verify(['--all'], { BALKAN_AUDIT_SIGNING_PUBLIC_KEY: key.publicKey });
    expect(bad.code).toBe(1);
    expect(bad.stdout.split('\n').filter((line) => /^[0-9a-f]{12} /.test(line))).toEqual([`${slipped.slice(0, 12)} "docs": unsigned (the commit is not signed)`]);
    expect(bad.stdout).toMatch(/^signatures: 4 good/m);
    expect(gitGpg(night.repo, 'verify-commit', slipped).status).not.toBe(0);
  });

  it.each([
    ['no key', {}, 'error [SIGNING_KEY_REQUIRED]'],
    ['not a key', { BALKAN_AUDIT_SIGNING_KEY: 'definitely-not-a-key-9f2e' }, 'error [STORE_BAD_SIGNING_KEY]: BALKAN_AUDIT_SIGNING_KEY is not an ASCII-armored OpenPGP private key'],
    ['a wrong passphrase', { BALKAN_AUDIT_SIGNING_PASSPHRASE: 'a-wrong-passphrase-61d0' }, 'error [STORE_BAD_SIGNING_KEY]: BALKAN_AUDIT_SIGNING_KEY could not be unlocked'],
  ])('--sign with %s: a coded error, exit 1, nothing exported or committed, no secret printed', async (_name, env, error) => {
    const key = await signingKey();
    const given: Record<string, string> = 'BALKAN_AUDIT_SIGNING_KEY' in env || 'BALKAN_AUDIT_SIGNING_PASSPHRASE' in env
      ? { BALKAN_AUDIT_SIGNING_KEY: key.privateKey, ...env } : env;
    const run = await night.snapshot(['--sign'], given);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(error);
    expect(run.stderr).toMatch(/^hint: /m);
    for (const secret of [key.privateKey.split('\n')[2]!, 'a-wrong-passphrase-61d0', 'definitely-not-a-key-9f2e']) expect(`${run.stdout}${run.stderr}`).not.toContain(secret);
    expect(night.commits()).toBe(0);
    expect(night.sandbox.counters.posts).toEqual({});
  });
});

it('a manifest field edited by hand (no file touched) is not carried into the next manifest', async () => {
  await nights(1);
  const manifestFile = join(night.repo, 'snapshots', 'manifest.json');
  const manifest = JSON.parse(await readFile(manifestFile, 'utf8'));
  manifest.resources.labels.rows = 0;
  await writeFile(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  git(night.repo, 'commit', '-qam', 'labels has no rows');
  expect((await night.snapshot()).code).toBe(0);
  expect(eventKinds(await night.report()).filter((k) => k === 'snapshot.tampered')).toHaveLength(Object.keys(manifest.resources).length);
  expect(night.manifest().resources['labels']!.rows).toBeGreaterThan(0);
});
