import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSandbox, SANDBOX_RESOURCES, SANDBOX_SECRETS, sandboxCsv, type Sandbox, type SandboxNight } from '@balkan-audit/sandbox';
import { createRedactor, getSchema, normaliseCsv, serialiseCanonical } from '@balkan-audit/schema';
import { runCli, type CliRun } from '../helpers/cli.js';
import { allObjects, git } from '../helpers/git.js';

// Acceptance of the nightly `balkan-audit snapshot` (issue 5): the built CLI against the sandbox,
// checked with native git.
const keys = { apiKeyId: 'snap-key-id-71be', apiKeySecret: 'snap-key-secret-0c4d9a5e8f' };
const REDACTION_KEY = 'e2e-redaction-key-3b8e';

let sandbox: Sandbox;
let apiUrl: string;
let repo: string;

beforeEach(async () => {
  sandbox = createSandbox({ ...keys, readyAfterPolls: 1 });
  ({ apiUrl } = await sandbox.listen(0));
  repo = await mkdtemp(join(tmpdir(), 'snapshot-e2e-'));
});

afterEach(async () => {
  expect(sandbox.counters.storageRequestsWithApiKey).toBe(0);
  await sandbox.close();
  await rm(repo, { recursive: true, force: true });
});

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    BALKANID_BASE_URL: apiUrl,
    BALKANID_API_KEY_ID: keys.apiKeyId,
    BALKANID_API_KEY_SECRET: keys.apiKeySecret,
    BALKAN_AUDIT_REDACTION_KEY: REDACTION_KEY,
    BALKAN_AUDIT_AUTHOR_NAME: 'Nightly Audit',
    BALKAN_AUDIT_AUTHOR_EMAIL: 'audit@example.com',
    ...extra,
  };
}

function snapshot(...args: string[]): Promise<CliRun> {
  return runCli(['snapshot', '--repo', repo, '--poll-interval', '0.01', '--tenant', 'acme', ...args], { env: env() });
}

async function canonical(resource: string, night: SandboxNight): Promise<string> {
  const table = await normaliseCsv(sandboxCsv(resource, night), getSchema(resource), { file: `${resource}.csv`, redactor: createRedactor(REDACTION_KEY) });
  return serialiseCanonical(table).toString('utf8');
}

/**
 * Runs night 2 after the labels digests were made untrustworthy: labels is normalised in full (its
 * summary line is `labels`), other resources still reuse their digests, and the result is the same
 * as normalising from scratch.
 */
async function expectNight2(labels: RegExp): Promise<void> {
  sandbox.setNight(2);
  const night2 = await snapshot();
  expect(night2.code).toBe(0);
  expect(night2.stderr).toMatch(labels);
  expect(night2.stderr).toMatch(/^campaigns: .* taken over unparsed$/m);
  expect(show('labels')).toBe(await canonical('labels', 2));
}

function show(resource: string, ref = 'HEAD'): string {
  return git(repo, 'show', `${ref}:snapshots/${resource}.csv`);
}

function manifest(ref = 'HEAD'): { resources: Record<string, { status: string; rows: number; rawBytes?: number; error?: { code: string } }> } {
  return JSON.parse(git(repo, 'show', `${ref}:snapshots/manifest.json`));
}

describe('balkan-audit snapshot, night after night', () => {
  it('commits night 1 and night 2 as two commits native git reads, and an unchanged night as none', async () => {
    const night1 = await snapshot('--detailed-exitcode');
    expect(night1.stderr).not.toContain('error');
    expect(night1.code).toBe(2);
    // Night 1 leaves raw-record digests in the git dir (never in the work tree) for night 2 to reuse.
    const cacheDirs = await readdir(join(repo, '.git', 'balkan-audit', 'cache'));
    expect((await readdir(join(repo, '.git', 'balkan-audit', 'cache', cacheDirs[0]!))).sort()).toEqual(SANDBOX_RESOURCES.map((r) => `${r}.digests`).sort());

    sandbox.setNight(2);
    const night2 = await snapshot('--detailed-exitcode');
    expect(night2.code).toBe(2);
    // Night 2 parsed only the records whose raw bytes changed; integrations gained a column, so its
    // header differs and it was parsed in full.
    expect(night2.stderr).toMatch(/^labels: 5 rows, \+0 -0 ~2, 3 taken over unparsed$/m);
    expect(night2.stderr).toMatch(/^integrations: 10 rows, \+1 -0 ~5$/m);
    expect(git(repo, 'rev-list', '--count', 'HEAD').trim()).toBe('2');
    expect(git(repo, 'fsck', '--strict', '--no-dangling')).toBe('');
    for (const resource of SANDBOX_RESOURCES) {
      expect(show(resource, 'HEAD~1')).toBe(await canonical(resource, 1));
      expect(show(resource)).toBe(await canonical(resource, 2));
    }

    // The subject says what changed, the body names high-severity events, trailers say when and what.
    const message = git(repo, 'log', '-1', '--format=%B');
    expect(message.split('\n')[0]).toMatch(/^snapshot acme \d{4}-\d{2}-\d{2}: .*integrations \+1/);
    expect(message).toContain('High:\n- Integration Workday: status active → inactive\n');
    expect(message).toMatch(/^Balkan-Audit-Run: \d{4}-.*Z$/m);
    expect(message).toMatch(/^Balkan-Audit-Version: \d+\.\d+\.\d+$/m);
    expect(git(repo, 'log', '-1', '--format=%(trailers:key=Balkan-Audit-Changes,valueonly)')).toContain('integrations added=1 removed=0 changed=5 high=2 medium=4 low=0\n');
    expect(git(repo, 'log', '-1', '--format=%an <%ae>').trim()).toBe('Nightly Audit <audit@example.com>');

    const report = JSON.parse(await readFile(join(repo, '.git', 'balkan-audit', 'last-run', 'report.json'), 'utf8'));
    expect(report.schemaVersion).toBe(1);
    expect(report.to.commit).toBe(git(repo, 'rev-parse', 'HEAD').trim());
    expect(report.from.commit).toBe(git(repo, 'rev-parse', 'HEAD~1').trim());
    const integrations = report.resources.find((r: { resource: string }) => r.resource === 'integrations');
    expect(integrations.added.map((a: { id: string }) => a.id)).toEqual(['10']);

    // The manifest records each raw download's length beside its hash: tomorrow's client uses both
    // to recognise the same export without assembling it.
    for (const resource of SANDBOX_RESOURCES) {
      expect(manifest().resources[resource]).toMatchObject({ rawBytes: Buffer.byteLength(sandboxCsv(resource, 2)) });
    }

    // The same night again: nothing to commit, exit 0 even with --detailed-exitcode; no export parsed.
    const again = await snapshot('--detailed-exitcode');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('nothing changed');
    for (const resource of SANDBOX_RESOURCES) expect(again.stderr).toMatch(new RegExp(`^${resource}: .*export identical to the last one$`, 'm'));
    expect(git(repo, 'rev-list', '--count', 'HEAD').trim()).toBe('2');
    expect(git(repo, 'status', '--porcelain')).toBe('');

    // No secret of the tenant, and no API credential, is in any git object.
    const objects = allObjects(repo);
    for (const secret of [...SANDBOX_SECRETS, keys.apiKeySecret, keys.apiKeyId]) expect(objects).not.toContain(secret);
    for (const run of [night1, night2, again]) {
      for (const secret of [...SANDBOX_SECRETS, keys.apiKeySecret]) expect(run.stdout + run.stderr).not.toContain(secret);
    }
  });

  it('does not trust a digest cache whose layout does not fit the committed file', async () => {
    expect((await snapshot()).code).toBe(0);
    const [dir] = await readdir(join(repo, '.git', 'balkan-audit', 'cache'));
    const file = join(repo, '.git', 'balkan-audit', 'cache', dir!, 'labels.digests');
    const bytes = await readFile(file);
    // The last row's line length, one too long: the digests still match, the layout does not.
    bytes.writeUInt32LE(bytes.readUInt32LE(bytes.length - 4) + 1, bytes.length - 4);
    await writeFile(file, bytes);

    await expectNight2(/^labels: 5 rows, \+0 -0 ~2$/m);
  });

  it('records the first run as a baseline, not as thousands of additions', async () => {
    const first = await snapshot();
    expect(first.code).toBe(0);
    const report = JSON.parse(await readFile(join(repo, '.git', 'balkan-audit', 'last-run', 'report.json'), 'utf8'));
    expect(report.from).toBeNull();
    for (const resource of report.resources) {
      expect(resource.status).toBe('new');
      expect(resource.added).toEqual([]);
      expect(resource.events.length).toBeLessThanOrEqual(1);
    }
  });

  it('--no-commit reports the change without touching git', async () => {
    await snapshot();
    sandbox.setNight(2);
    const dry = await snapshot('--no-commit', '--detailed-exitcode', '--out', join(repo, '..', `${repo.split('/').pop()}-out`));
    expect(dry.code).toBe(2);
    expect(git(repo, 'rev-list', '--count', 'HEAD').trim()).toBe('1');
    expect(dry.stdout).toContain('not committed');
  });
});

describe('guards: nothing lost, no fake deletions', () => {
  const cases = [
    { name: 'a failed export (401 for one resource)', resource: 'integrations', faults: { unauthorized: true }, code: 'EXPORT_AUTH' },
    { name: 'a truncated body', resource: 'campaigns', faults: { truncate: true }, code: 'EXPORT_TRUNCATED' },
    { name: 'an empty export (header only)', resource: 'labels', faults: { empty: true }, code: 'SNAPSHOT_MASS_DELETE' },
    { name: 'a malformed CSV', resource: 'apps', faults: { malformed: true }, code: 'SCHEMA_CSV_INVALID' },
    { name: 'duplicate IDs', resource: 'entity-rules', faults: { duplicateIds: true }, code: 'SCHEMA_DUPLICATE_KEY' },
  ] as const;

  it.each(cases)('$name keeps the previous snapshot, commits the others, exits 1', async ({ resource, faults, code }) => {
    expect((await snapshot()).code).toBe(0);
    const before = show(resource);
    sandbox.setNight(2);
    sandbox.setFaults({ ...faults, only: [resource] });
    const run = await snapshot();
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toContain(code);
    expect(show(resource)).toBe(before);
    const entry = manifest().resources[resource]!;
    expect(entry.status).toBe('failed');
    expect(entry.error?.code).toBe(code);
    // The other resources moved on to night 2.
    const other = SANDBOX_RESOURCES.find((r) => r !== resource)!;
    expect(show(other)).toBe(await canonical(other, 2));
    expect(git(repo, 'fsck', '--strict', '--no-dangling')).toBe('');

    // The next good night recovers.
    sandbox.setFaults({});
    expect((await snapshot()).code).toBe(0);
    expect(show(resource)).toBe(await canonical(resource, 2));
    expect(manifest().resources[resource]!.status).toBe('ok');
  });

  it('a resource that loses most of its rows is kept unless --allow-mass-delete', async () => {
    sandbox.setSynthetic({ resource: 'admins', rows: 40, seed: 7, variant: 'before' });
    expect((await snapshot('--resources', 'admins')).code).toBe(0);
    const before = show('admins');
    expect(manifest().resources.admins!.rows).toBe(40);

    sandbox.setSynthetic({ resource: 'admins', rows: 15, seed: 7, variant: 'before' });
    const guarded = await snapshot('--resources', 'admins');
    expect(guarded.code).toBe(1);
    expect(guarded.stdout + guarded.stderr).toContain('SNAPSHOT_MASS_DELETE');
    expect(show('admins')).toBe(before);

    const allowed = await snapshot('--resources', 'admins', '--allow-mass-delete');
    expect(allowed.code).toBe(0);
    expect(manifest().resources.admins!.rows).toBe(15);
  });
});

describe('a repository the user already has', () => {
  it('is used and left intact apart from the snapshot directory', async () => {
    git(repo, 'init', '-q', '-b', 'main');
    await writeFile(join(repo, 'README.md'), '# access audit\n');
    await writeFile(join(repo, 'notes.txt'), 'v1\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'initial');
    git(repo, 'branch', 'other');
    git(repo, 'gc', '-q', '--aggressive');
    await writeFile(join(repo, 'notes.txt'), 'v2, not committed\n');
    await writeFile(join(repo, 'staged.txt'), 'staged\n');
    git(repo, 'add', 'staged.txt');

    expect((await snapshot()).code).toBe(0);
    sandbox.setNight(2);
    expect((await snapshot()).code).toBe(0);

    expect(await readFile(join(repo, 'notes.txt'), 'utf8')).toBe('v2, not committed\n');
    expect(git(repo, 'diff', '--cached', '--name-only').trim()).toBe('staged.txt');
    expect(git(repo, 'show', '--name-only', '--format=', 'HEAD')).not.toContain('staged.txt');
    expect(git(repo, 'show', '--name-only', '--format=', 'HEAD~1')).not.toContain('staged.txt');
    expect(git(repo, 'status', '--porcelain', '--', 'snapshots')).toBe('');
    expect(git(repo, 'rev-list', '--count', 'HEAD').trim()).toBe('3');
    expect(git(repo, 'fsck', '--strict', '--no-dangling')).toBe('');
  });
});

describe('two runs at once', () => {
  it('one wins, the other gets the lock error, and history stays linear', async () => {
    await sandbox.close();
    // Slow readiness keeps the first run inside its lock while the second starts.
    sandbox = createSandbox({ ...keys, readyAfterPolls: 1, readyAfterMs: 1500 });
    ({ apiUrl } = await sandbox.listen(0));
    expect((await snapshot()).code).toBe(0);
    sandbox.setNight(2);
    const [a, b] = await Promise.all([snapshot(), snapshot()]);
    const codes = [a.code, b.code].sort();
    expect(codes).toEqual([0, 1]);
    const loser = a.code === 1 ? a : b;
    expect(loser.stderr).toContain('STORE_LOCKED');
    const history = git(repo, 'rev-list', '--parents', 'HEAD').trim().split('\n').map((line) => line.split(' '));
    expect(history).toHaveLength(2);
    expect(history[0]![1]).toBe(history[1]![0]);
    expect(history[1]).toHaveLength(1);
  });
});

describe('balkan-audit verify', () => {
  it('passes on what snapshot committed and catches a hand-edited snapshot file', async () => {
    expect((await snapshot()).code).toBe(0);
    const clean = await runCli(['verify', '--repo', repo], { env: env() });
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('verified 5 snapshot file(s)');

    await writeFile(join(repo, 'snapshots', 'labels.csv'), `${show('labels')}x,edited by hand,,,,,label,,,,\n`);
    git(repo, 'commit', '-qam', 'edit a snapshot by hand');
    const tampered = await runCli(['verify', '--repo', repo], { env: env() });
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toMatch(/^mismatch\s+snapshots\/labels\.csv/m);
    const earlier = await runCli(['verify', '--repo', repo, '--ref', 'HEAD~1'], { env: env() });
    expect(earlier.code).toBe(0);

    // The next night does not trust last night's digests for a file someone edited: same result as
    // normalising from scratch.
    await expectNight2(/^labels: 5 rows, \+0 -1 ~2$/m);
    expect((await runCli(['verify', '--repo', repo], { env: env() })).code).toBe(0);
  });
});
