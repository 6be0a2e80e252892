import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_RESOURCES, sandboxCsv } from '@balkan-audit/sandbox';
import { createRedactor } from '@balkan-audit/schema';
import { runCli } from '../helpers/cli.js';
import { git } from '../helpers/git.js';
import { canonical, eventKinds, leftovers, NO_KEY, REDACTION_KEY, startNight, type Night } from '../helpers/night.js';

// Issue 10: nights a compliance team can trust. Each test is a defect seen on the build before it.
let night: Night;
beforeEach(async () => { night = await startNight(); });
afterEach(async () => {
  expect(night.sandbox.counters.storageRequestsWithApiKey).toBe(0);
  await night.close();
});

describe('one redaction key per audit repository, for its whole life', () => {
  it('a new repository gets its key in its own .git, nothing under $HOME, and night 2 sees no false rotation', async () => {
    const first = await night.snapshot([], NO_KEY);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('created this repository\'s redaction key');
    const keyFile = join(night.repo, '.git', 'balkan-audit', 'redaction-key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(existsSync(join(night.root, 'home'))).toBe(false);
    const key = (await readFile(keyFile, 'utf8')).trim();
    expect(night.manifest().redactionKeyId).toBe(createRedactor(key).keyId);

    night.sandbox.setNight(2);
    expect((await night.snapshot([], NO_KEY)).code).toBe(0);
    const kinds = eventKinds(await night.report());
    // Night 2 rotates exactly one secret (Salesforce); every other fingerprint is unchanged.
    expect(kinds.filter((k) => k === 'integration.secret_rotated')).toHaveLength(1);
    expect(existsSync(join(night.root, 'home'))).toBe(false);
  });

  it('under CI without BALKAN_AUDIT_REDACTION_KEY, generates nothing and says how to make a key', async () => {
    const run = await night.snapshot([], { BALKAN_AUDIT_REDACTION_KEY: '', CI: 'true' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error [REDACTION_KEY_REQUIRED]');
    expect(run.stderr).toMatch(/openssl rand -hex 32/);
    expect(run.stderr).toMatch(/CI secret/);
    expect(existsSync(join(night.repo, '.git', 'balkan-audit', 'redaction-key'))).toBe(false);
    expect(night.commits()).toBe(0);
    expect(night.sandbox.counters.posts).toEqual({});
  });

  it('refuses another key (REDACTION_KEY_MISMATCH, no commit); --rekey accepts it with one redaction.rekeyed event', async () => {
    expect((await night.snapshot()).code).toBe(0);
    const other = { BALKAN_AUDIT_REDACTION_KEY: 'a-different-key-after-a-lost-secret' };
    night.sandbox.resetCounters();
    const refused = await night.snapshot([], other);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('error [REDACTION_KEY_MISMATCH]');
    expect(refused.stderr).toContain('BALKAN_AUDIT_REDACTION_KEY');
    expect(refused.stderr).toContain('--rekey');
    expect(night.commits()).toBe(1);
    expect(night.sandbox.counters.posts).toEqual({});

    const rekeyed = await night.snapshot(['--rekey'], other);
    expect(rekeyed.code).toBe(0);
    const report = await night.report();
    expect(eventKinds(report)).toEqual(['redaction.rekeyed']);
    expect(report.summary.events.medium).toBe(1);
    expect(night.manifest().redactionKeyId).toBe(createRedactor(other.BALKAN_AUDIT_REDACTION_KEY).keyId);
    // Every secret is now fingerprinted with the new key: the next night under it changes nothing.
    expect(night.show('integrations')).toBe(await canonical('integrations', 1, other.BALKAN_AUDIT_REDACTION_KEY));
    const after = await night.snapshot(['--detailed-exitcode'], other);
    expect(after.code).toBe(0);
    expect(night.commits()).toBe(2);
  });

  it('compare outside a repository uses a key for this run only, says so, and writes no key anywhere', async () => {
    await mkdir(join(night.root, 'plain'));
    await writeFile(join(night.root, 'plain', 'old.csv'), sandboxCsv('integrations', 1));
    await writeFile(join(night.root, 'plain', 'new.csv'), sandboxCsv('integrations', 2));
    git(join(night.root, 'plain'), 'init', '-q');
    const run = await runCli(['compare', 'integrations', 'old.csv', 'new.csv', '--format', 'json'], { cwd: join(night.root, 'plain'), env: { HOME: join(night.root, 'home') } });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('a key made for this run only');
    expect(existsSync(join(night.root, 'plain', '.git', 'balkan-audit'))).toBe(false);
    expect(existsSync(join(night.root, 'home'))).toBe(false);
    // Both files were fingerprinted with the same (one-off) key: the real rotation is still seen.
    expect(run.stdout).toContain('integration.secret_rotated');
  });

  it('a committed snapshot against a raw export without the repository key: fingerprints not comparable, never "rotated"', async () => {
    expect((await night.snapshot()).code).toBe(0);
    await writeFile(join(night.root, 'tonight.csv'), sandboxCsv('integrations', 1));
    const run = await runCli(['compare', 'integrations', join(night.repo, 'snapshots', 'integrations.csv'), 'tonight.csv', '--format', 'json'], { cwd: night.root, env: { HOME: join(night.root, 'home') } });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('different redaction keys');
    const changeSet = JSON.parse(run.stdout);
    expect(JSON.stringify(changeSet)).not.toContain('secret_rotated');
    const changes = changeSet.resources[0].changed.flatMap((c: { changes: unknown[] }) => c.changes);
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.every((c: { comparable?: boolean }) => c.comparable === false)).toBe(true);
    // With the repository's key the same comparison finds no change at all.
    const keyed = await runCli(['compare', 'integrations', join(night.repo, 'snapshots', 'integrations.csv'), 'tonight.csv', '--format', 'json', '--detailed-exitcode'], { cwd: night.root, env: { BALKAN_AUDIT_REDACTION_KEY: REDACTION_KEY } });
    expect(keyed.code).toBe(0);
  });
});

describe('a hand-edited snapshot is noticed', () => {
  async function tamper(): Promise<string> {
    expect((await night.snapshot()).code).toBe(0);
    night.sandbox.setNight(2);
    expect((await night.snapshot()).code).toBe(0);
    // Someone puts Workday back to active by hand and commits it.
    const file = join(night.repo, 'snapshots', 'integrations.csv');
    const text = await readFile(file, 'utf8');
    const edited = text.replace(/^(7,Workday,.*?,)inactive,/m, '$1active,');
    expect(edited).not.toBe(text);
    await writeFile(file, edited);
    git(night.repo, 'commit', '-qam', 'Workday is active again');
    return git(night.repo, 'rev-parse', 'HEAD').trim();
  }

  it.each([
    ['in the same clone', (repo: string) => repo],
    ['from a fresh clone (no cache, no key file)', (repo: string) => {
      const clone = `${repo}-clone`;
      git(join(repo, '..'), 'clone', '-q', repo, clone);
      return clone;
    }],
  ])('%s: a high snapshot.tampered event naming the file and commit, the true state restored', async (_name, where) => {
    const edit = await tamper();
    const repo = where(night.repo);
    const run = await runCli(['snapshot', '--repo', repo, '--out', night.out, '--poll-interval', '0.01', '--detailed-exitcode'], { env: night.env(), cwd: night.root });
    expect(run.code).toBe(2);
    const report = await night.report();
    const integrations = report.resources.find((r) => r.resource === 'integrations')!;
    expect(integrations.events[0]).toMatchObject({ severity: 'high', kind: 'snapshot.tampered' });
    expect(integrations.events[0]!.summary).toContain('snapshots/integrations.csv');
    expect(integrations.events[0]!.summary).toContain(edit.slice(0, 12));
    expect(integrations.events.map((e) => e.summary)).toContain('Integration Workday: status active → inactive');
    expect(git(repo, 'show', 'HEAD:snapshots/integrations.csv')).toBe(await canonical('integrations', 2));
    // The other resources were not edited: still recognised as identical exports.
    expect(run.stderr).toMatch(/^labels: .*export identical to the last one$/m);
    expect((await runCli(['verify', '--repo', repo], { env: night.env() })).code).toBe(0);
  });

  it('verify names the mismatch and the commit that made it', async () => {
    const edit = await tamper();
    await writeFile(join(night.repo, 'NOTES.md'), 'a later commit that touches no snapshot\n');
    git(night.repo, 'add', 'NOTES.md');
    git(night.repo, 'commit', '-qm', 'notes');
    const verify = await runCli(['verify', '--repo', night.repo], { env: night.env() });
    expect(verify.code).toBe(1);
    expect(verify.stdout).toMatch(new RegExp(`^mismatch\\s+snapshots/integrations\\.csv .*changed by commit ${edit.slice(0, 12)}$`, 'm'));
  });
});

describe('nothing of the user\'s is lost or written outside the repository', () => {
  it('demo refuses a non-empty folder it did not make, and empties only its own', async () => {
    const workdir = join(night.root, 'precious');
    await mkdir(join(workdir, 'repo', '.git', 'balkan-audit'), { recursive: true });
    await writeFile(join(workdir, 'repo', '.git', 'balkan-audit', 'redaction-key'), 'a'.repeat(64));
    await writeFile(join(workdir, 'notes.md'), 'mine\n');
    const refused = await runCli(['demo', '--workdir', workdir], { cwd: night.root });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('error [DEMO_WORKDIR_NOT_EMPTY]');
    expect(readdirSync(workdir).sort()).toEqual(['notes.md', 'repo']);

    const own = join(night.root, 'demo');
    expect((await runCli(['demo', '--workdir', own], { cwd: night.root })).code).toBe(0);
    expect((await runCli(['demo', '--workdir', own], { cwd: night.root, env: { CI: 'true' } })).code).toBe(0);
    expect(git(join(own, 'repo'), 'rev-list', '--count', 'HEAD').trim()).toBe('2');
  });

  it('an uncommitted edit in the snapshot directory: STORE_DIRTY listing the file, nothing exported or written', async () => {
    expect((await night.snapshot()).code).toBe(0);
    const file = join(night.repo, 'snapshots', 'labels.csv');
    await writeFile(file, 'ID,Name\nmine,my edit\n');
    night.sandbox.resetCounters();
    night.sandbox.setNight(2);
    const run = await night.snapshot();
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error [STORE_DIRTY]');
    expect(run.stderr).toContain('snapshots/labels.csv');
    expect(await readFile(file, 'utf8')).toBe('ID,Name\nmine,my edit\n');
    expect(night.commits()).toBe(1);
    expect(night.sandbox.counters.posts).toEqual({});
    expect(leftovers(night.repo)).toEqual([]);
  });

  it('--dir through a symlink to a folder outside the repository is refused', async () => {
    const outside = join(night.root, 'outside');
    await mkdir(outside);
    await mkdir(night.repo);
    git(night.repo, 'init', '-q', '-b', 'main');
    await symlink(outside, join(night.repo, 'linked'));
    const run = await night.snapshot(['--dir', 'linked']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error [STORE_SYMLINK]');
    expect(readdirSync(outside)).toEqual([]);
  });

  it('--repo naming a file is a clear error, and an unwritable --out an I/O error naming the path', async () => {
    await writeFile(join(night.root, 'a-file'), '');
    const file = await runCli(['snapshot', '--repo', join(night.root, 'a-file')], { env: night.env() });
    expect(file.code).toBe(1);
    expect(file.stderr).toMatch(/error \[STORE_BAD_INPUT\]: .*a-file is not a directory/);
    expect(file.stderr).not.toContain('EEXIST: file already exists');

    const out = join(night.root, 'a-file', 'reports');
    const io = await runCli(['snapshot', '--repo', night.repo, '--out', out, '--poll-interval', '0.01'], { env: night.env() });
    expect(io.code).toBe(1);
    expect(io.stderr).toMatch(/error \[IO_ERROR\]: cannot mkdir .*a-file\/reports: ENOTDIR/);
    expect(io.stderr).toMatch(/^hint: /m);
    expect(io.stderr).not.toContain('This is a bug');
  });
});

describe('failures do not pollute the audit trail', () => {
  it('a night where every export fails makes no commit, records every failure, exits 1', async () => {
    expect((await night.snapshot()).code).toBe(0);
    night.sandbox.setFaults({ unauthorized: true });
    const run = await night.snapshot();
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('no resource produced a snapshot: no commit');
    expect(night.commits()).toBe(1);
    const report = await night.report();
    expect(report.resources.map((r) => [r.resource, r.status, r.error?.code])).toEqual(SANDBOX_RESOURCES.map((r) => [r, 'failed', 'EXPORT_AUTH']));
    expect(report.to.commit).toBeNull();
  });

  it('a resource that never had a snapshot stays out of the manifest, and its failure says what is true', async () => {
    const run = await night.snapshot(['--resources', 'labels,nosuchthing']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^nosuchthing: failed \[EXPORT_UNKNOWN_RESOURCE\], no snapshot yet$/m);
    expect(run.stdout).not.toContain('previous snapshot kept');
    expect(Object.keys(night.manifest().resources)).toEqual(['labels']);
    night.sandbox.setNight(2);
    expect((await night.snapshot(['--resources', 'labels,nosuchthing'])).code).toBe(1);
    expect(Object.keys(night.manifest().resources)).toEqual(['labels']);
    const report = await night.report();
    expect(report.resources.find((r) => r.resource === 'nosuchthing')).toMatchObject({ status: 'failed', error: { code: 'EXPORT_UNKNOWN_RESOURCE' } });
  });

  it('record data reaches the terminal and git log inert; the snapshot keeps it faithfully', async () => {
    expect((await night.snapshot()).code).toBe(0);
    const hostile = ['<img src=x onerror=alert(1)>', 'Okta\u202Egnp.exe', 'line\nbreak\u001b[31m'];
    const rows = hostile.map((name, i) => `${90 + i},"${name}",,,active,,,,,,,,,`).join('\n');
    night.sandbox.setExport('integrations', `${sandboxCsv('integrations', 1)}${rows}\n`);
    const run = await night.snapshot();
    expect(run.code).toBe(0);
    const log = git(night.repo, 'log', '-1', '--format=%B');
    for (const text of [run.stdout, run.stderr, log]) expect(text).not.toMatch(/[\u202E\u001b]/);
    for (const text of [run.stdout, log]) {
      expect(text).toContain('Integration Okta\\u202Egnp.exe added');
      expect(text).toContain('Integration line break\\u001B[31m added');
    }
    expect(log).toContain('Integration <img src=x onerror=alert(1)> added');
    expect(night.show('integrations')).toContain('Okta\u202Egnp.exe');
  });
});

describe('the commit message is the audit trail\'s index', () => {
  it('says records and columns apart, and lists every event by severity', async () => {
    expect((await night.snapshot()).code).toBe(0);
    night.sandbox.setNight(2);
    expect((await night.snapshot()).code).toBe(0);
    const message = git(night.repo, 'log', '-1', '--format=%B');
    expect(message.split('\n')[0]).toMatch(/^snapshot acme \d{4}-\d{2}-\d{2}: .*apps -1 record;.*integrations \+1 ~5 records, \+1 column/);
    expect(message).toMatch(/^High:\n- Integration Workday: status active → inactive\n/m);
    expect(message).toMatch(/^Medium:\n(- .*\n)*- App Zoom removed\n/m);
    expect(message).toMatch(/^Low:\n(- .*\n)*- Label Critical app: renamed to Business critical\n/m);
  });
});

