import { execFileSync, spawnSync } from 'node:child_process';
import { watch } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { SANDBOX_RESOURCES, type SandboxFaults } from '@balkan-audit/sandbox';
import { BIN, cleanEnv, spawnCollecting, type CliRun } from './cli.js';
import { git } from './git.js';
import { canonical, eventKinds, leftovers, startNight, type Night } from './night.js';
import type { FaultRow } from './fault-table.js';

// The rows of the fault table (issue 10), run by `e2e/faults.test.ts` (faults of the API and its
// data) and `e2e/faults-process.test.ts` (a full disk, signals: rows with a large resource), and
// rendered into docs/reliability.md.

/** The generated resource of the `big` rows. */
export const BIG = { resource: 'admins', rows: 20_000, seed: 3 } as const;

function withFaults(faults: SandboxFaults, args: readonly string[] = []) {
  return async (night: Night) => {
    night.sandbox.setFaults(faults);
    return night.snapshot(args);
  };
}

export const FAULT_ROWS: readonly FaultRow[] = [
  { fault: '5xx, then recovery', how: 'the first two POSTs answer 503 with Retry-After: 0', exit: 0, status: 'compared', head: 'night 2', resource: 'integrations',
    act: withFaults({ serverErrors: { count: 2, retryAfterSeconds: 0 } }),
    check: (run) => { expect(run.stderr).toMatch(/retry 1 in .*503/); } },
  { fault: '5xx forever', how: 'every POST of integrations answers 503', exit: 1, status: 'failed', code: 'EXPORT_SERVER_ERROR', head: 'night 1', resource: 'integrations',
    act: withFaults({ only: ['integrations'], serverErrors: { count: 1_000, retryAfterSeconds: 0 } }) },
  { fault: 'slow readiness within the deadline', how: 'labels is ready after 13 s (the progress heartbeat is every 10 s)', exit: 0, status: 'compared', head: 'night 2', resource: 'labels',
    act: withFaults({ only: ['labels'], slowReadyMs: 13_000 }),
    check: (run) => { expect(run.stderr).toMatch(/^labels: not ready yet \(poll \d+\) \(1\d s\)$/m); } },
  { fault: 'never ready', how: 'polling answers 404 for ever; --poll-deadline 1', exit: 1, status: 'failed', code: 'EXPORT_NOT_READY_TIMEOUT', head: 'night 1', resource: 'apps',
    act: withFaults({ only: ['apps'], neverReady: true }, ['--poll-deadline', '1']) },
  { fault: 'truncated body', how: 'half the Content-Length, then the socket ends', exit: 1, status: 'failed', code: 'EXPORT_TRUNCATED', head: 'night 1', resource: 'campaigns',
    act: withFaults({ only: ['campaigns'], truncate: true }) },
  { fault: 'expired link', how: 'the first export\'s pre-signed links answer 403 (expired)', exit: 0, status: 'compared', head: 'night 2', resource: 'labels',
    act: withFaults({ only: ['labels'], expireLinks: 1 }),
    check: (run) => { expect(run.stderr).toMatch(/^labels: requested a fresh export$/m); } },
  { fault: '401', how: 'the POST of integrations answers 401', exit: 1, status: 'failed', code: 'EXPORT_AUTH', head: 'night 1', resource: 'integrations',
    act: withFaults({ only: ['integrations'], unauthorized: true }) },
  { fault: 'empty export', how: 'labels is its header line only', exit: 1, status: 'failed', code: 'SNAPSHOT_MASS_DELETE', head: 'night 1', resource: 'labels',
    act: withFaults({ only: ['labels'], empty: true }) },
  { fault: 'malformed CSV', how: 'a last row whose quote never closes', exit: 1, status: 'failed', code: 'SCHEMA_CSV_INVALID', head: 'night 1', resource: 'apps',
    act: withFaults({ only: ['apps'], malformed: true }) },
  { fault: 'duplicate IDs', how: 'the first row repeated at the end', exit: 1, status: 'failed', code: 'SCHEMA_DUPLICATE_KEY', head: 'night 1', resource: 'entity-rules',
    act: withFaults({ only: ['entity-rules'], duplicateIds: true }) },
  { fault: 'schema drift', how: 'night 2 adds an undocumented Region column to integrations', exit: 0, status: 'compared', head: 'night 2', resource: 'integrations',
    act: (night) => night.snapshot(),
    check: async (_run, night) => { expect(eventKinds(await night.report())).toContain('resource.schema_drift'); } },
  { fault: 'connection reset mid-download', how: 'a third of the body, then a TCP reset', exit: 1, status: 'failed', code: 'EXPORT_TRUNCATED', head: 'night 1', resource: 'integrations',
    act: withFaults({ only: ['integrations'], reset: true }) },
  { fault: 'disk full', how: 'the git directory on a tmpfs with 48 KiB to spare: ENOSPC at the store\'s write', exit: 1, status: null, code: 'IO_ERROR', head: 'night 1', resource: BIG.resource, big: true,
    act: onFullDisk,
    check: (run) => { expect(run.stderr).toMatch(/error \[IO_ERROR\]: cannot .*ENOSPC/); } },
  ...(['export', 'write', 'commit'] as const).flatMap((phase) => [
    { fault: `SIGINT during ${phase}`, how: stopHow(phase), exit: 130, status: null, head: phase === 'commit' ? 'either' : 'night 1', resource: BIG.resource, big: true,
      act: (night: Night) => stopped(night, phase, 'SIGINT') } as const,
    { fault: `SIGKILL during ${phase}`, how: stopHow(phase), exit: 'SIGKILL', status: null, head: phase === 'commit' ? 'either' : 'night 1', resource: BIG.resource, big: true,
      act: (night: Night) => stopped(night, phase, 'SIGKILL') } as const,
  ]),
  { fault: 'SIGTERM during export', how: stopHow('export'), exit: 143, status: null, head: 'night 1', resource: BIG.resource, big: true,
    act: (night) => stopped(night, 'export', 'SIGTERM') },
  { fault: 'a hand-edited snapshot', how: 'a commit outside the tool puts Workday back to active; tonight\'s export is unchanged', exit: 0, status: 'compared', head: 'night 2', resource: 'integrations',
    act: async (night) => {
      expect((await night.snapshot()).code).toBe(0);
      const file = join(night.repo, 'snapshots', 'integrations.csv');
      await writeFile(file, (await readFile(file, 'utf8')).replace(/^(7,Workday,.*?,)inactive,/m, '$1active,'));
      git(night.repo, 'commit', '-qam', 'by hand');
      return night.snapshot();
    },
    check: async (_run, night) => {
      const integrations = (await night.report()).resources.find((r) => r.resource === 'integrations')!;
      expect(integrations.events.map((e) => e.kind)).toEqual(expect.arrayContaining(['snapshot.tampered', 'integration.status_changed']));
    } },
  { fault: 'a lost key', how: 'BALKAN_AUDIT_REDACTION_KEY is another key than the one the snapshot was made with', exit: 1, status: null, code: 'REDACTION_KEY_MISMATCH', head: 'night 1', resource: 'integrations',
    act: (night) => night.snapshot([], { BALKAN_AUDIT_REDACTION_KEY: 'the-key-someone-made-after-losing-the-old-one' }),
    // Night 2's own changes are reported too; its credential rotation cannot be told from the new key.
    recover: { args: ['--rekey'], env: { BALKAN_AUDIT_REDACTION_KEY: 'the-key-someone-made-after-losing-the-old-one' }, events: ['redaction.rekeyed'], absent: ['integration.secret_rotated'] } },
];

function stopHow(phase: 'export' | 'write' | 'commit'): string {
  switch (phase) {
    case 'export': return 'signalled while the exports wait to be ready';
    case 'write': return 'signalled when the first object of the snapshot commit is written';
    case 'commit': return 'signalled when the branch ref moves (the working tree not yet in line)';
  }
}

/** Night 2 with a signal sent at a given moment of the run. */
async function stopped(night: Night, phase: 'export' | 'write' | 'commit', signal: NodeJS.Signals): Promise<CliRun & { signal: NodeJS.Signals | null }> {
  if (phase === 'export') night.sandbox.setFaults({ slowReadyMs: 30_000 });
  night.sandbox.resetCounters();
  const run = night.spawnSnapshot();
  const trigger = phase === 'export' ? whenPolled(night) : whenWritten(night.repo, phase === 'write' ? /^(objects|balkan-audit\/tmp)\// : /^refs\/heads\/main$/);
  await Promise.race([trigger, run.done]);
  run.child.kill(signal);
  return run.done;
}

async function whenPolled(night: Night): Promise<void> {
  while (night.sandbox.counters.polls === 0) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** Resolves at the first change under `<repo>/.git` whose path matches. */
function whenWritten(repo: string, path: RegExp): Promise<void> {
  return new Promise((resolve) => {
    const watcher = watch(join(repo, '.git'), { recursive: true }, (_event, name) => {
      if (name !== null && path.test(name.toString())) {
        watcher.close();
        resolve();
      }
    });
  });
}

/**
 * Night 2 with the repository's git directory on a tmpfs just big enough for what it holds (plus
 * 48 KiB), in a private mount namespace (`unshare`). What the run leaves there is copied back over
 * the real git directory, so the checks see the repository as the full disk left it.
 */
async function onFullDisk(night: Night): Promise<CliRun> {
  const after = await mkdtemp(join(tmpdir(), 'full-disk-'));
  const gitdir = join(night.repo, '.git');
  const kib = Number(execFileSync('du', ['-sk', gitdir], { encoding: 'utf8' }).split('\t')[0]) + 48;
  const args = night.snapshotArgs.map((a) => `'${a}'`).join(' ');
  const script = [
    'set -e', 'stash=$(mktemp -d)', `cp -a '${gitdir}/.' "$stash/"`, `mount -t tmpfs -o size=${kib}k tmpfs '${gitdir}'`, `cp -a "$stash/." '${gitdir}/'`,
    'set +e', `'${process.execPath}' '${BIN}' ${args}`, 'rc=$?', `cp -a '${gitdir}/.' '${after}/'`, 'rm -rf "$stash"', 'exit $rc',
  ].join('\n');
  const unshare = ['-rm', '-m'].find((flag) => spawnSync('unshare', [flag, 'true']).status === 0);
  if (unshare === undefined) throw new Error('this machine cannot make a private mount namespace (unshare -rm / -m): the disk-full row cannot run');
  // Asynchronously: the sandbox answering the run lives in this process.
  const { code, stdout, stderr } = await spawnCollecting('unshare', [unshare, 'sh', '-c', script], { env: cleanEnv(night.env()), cwd: night.root }).done;
  const result: CliRun = { code, stdout, stderr };
  await rm(gitdir, { recursive: true, force: true });
  execFileSync('cp', ['-a', after, gitdir]);
  await rm(after, { recursive: true, force: true });
  return result;
}


const WITH_BIG = ['--resources', [...SANDBOX_RESOURCES, BIG.resource].join(',')];

/**
 * One row, end to end: a clean night 1, night 2 with the fault, the row's expectations, then the
 * next clean night and what it must report. `night` is fresh (see `startFaultNight`).
 */
export async function runFaultRow(night: Night, row: FaultRow): Promise<void> {
  const RESOURCES: readonly string[] = row.big ? WITH_BIG : [];
  expect((await night.snapshot(RESOURCES)).code).toBe(0);
  const night1 = night.show(row.resource);
  night.sandbox.setNight(2);
  night.sandbox.setSynthetic({ ...BIG, variant: 'after' });
  const withResources: Night = {
    ...night,
    snapshotArgs: [...night.snapshotArgs, ...RESOURCES],
    snapshot: (args = [], env) => night.snapshot([...RESOURCES, ...args], env),
    spawnSnapshot: (args = [], env) => night.spawnSnapshot([...RESOURCES, ...args], env),
  };
  await rm(night.out, { recursive: true, force: true });
  const run = await row.act(withResources);

  if (row.exit === 'SIGKILL') expect(run.signal).toBe('SIGKILL');
  else expect({ code: run.code, stderr: run.stderr }).toMatchObject({ code: row.exit });
  if (row.code !== undefined) expect(run.stdout + run.stderr).toContain(row.code);
  if (row.status === null) {
    // A run stopped after the branch moved still finishes and reports; one stopped before does not.
    if (row.head !== 'either') await expect(night.report()).rejects.toThrow();
  } else {
    expect((await night.report()).resources.find((r) => r.resource === row.resource)).toMatchObject({ status: row.status, ...(row.code ? { error: { code: row.code } } : {}) });
  }
  if (row.head === 'night 1') expect(night.show(row.resource)).toBe(night1);
  if (row.head === 'night 2' && row.resource !== BIG.resource) expect(night.show(row.resource)).toBe(await canonical(row.resource, 2));
  // A killed run cannot clean up after itself: the next run does (checked below).
  if (row.exit !== 'SIGKILL') expect(leftovers(night.repo)).toEqual([]);
  expect(git(night.repo, 'fsck', '--strict', '--no-dangling')).toBe('');
  await row.check?.(run, night);

  night.sandbox.setFaults({});
  const next = await night.snapshot([...RESOURCES, ...(row.recover?.args ?? [])], row.recover?.env);
  expect({ code: next.code, stderr: next.stderr }).toMatchObject({ code: 0 });
  const report = await night.report();
  expect(report.resources.every((r) => r.status === 'compared')).toBe(true);
  for (const kind of row.recover?.events ?? []) expect(eventKinds(report)).toContain(kind);
  for (const kind of row.recover?.absent ?? []) expect(eventKinds(report)).not.toContain(kind);
  const key = row.recover?.env?.['BALKAN_AUDIT_REDACTION_KEY'];
  for (const resource of SANDBOX_RESOURCES) expect(night.show(resource)).toBe(await canonical(resource, 2, key));
  if (row.big) expect(night.manifest().resources[BIG.resource]).toMatchObject({ status: 'ok', rows: BIG.rows });
  expect(leftovers(night.repo)).toEqual([]);
  expect(git(night.repo, 'status', '--porcelain')).toBe('');
  expect(git(night.repo, 'fsck', '--strict', '--no-dangling')).toBe('');
}

/** A sandbox and repository for one row; the generated resource is served from the start. */
export async function startFaultNight(): Promise<Night> {
  const night = await startNight();
  night.sandbox.setSynthetic({ ...BIG, variant: 'before' });
  return night;
}
