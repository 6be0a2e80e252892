import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runCliInTerminal, type CliRun } from '../helpers/cli.js';
import { git } from '../helpers/git.js';
import { startNight, type Night } from '../helpers/night.js';
import { csvRecord } from '../helpers/csv.js';

// Acceptance of `balkan-audit history` (issue 13): a multi-night history made by the built CLI
// against the sandbox, each night's CSV scripted here, then read back with the built CLI.

type Row = Readonly<Record<string, string>>;
const INTEGRATIONS = ['ID', 'Name', 'Status', 'Primary Owner', 'Metadata', 'Last Run'];
const APPS = ['Tenant ID', 'Tenant Name', 'Tenant Status', 'Tenant Created At', 'ID', 'Name'];

const csv = (columns: readonly string[], rows: readonly Row[]): string => `${[csvRecord(columns), ...rows.map((r) => csvRecord(columns.map((c) => r[c] ?? '')))].join('\n')}\n`;

const steady: Row[] = [
  { ID: '1', Name: 'AWS', Status: 'active', Metadata: '{"tier":"gold"}' },
  { ID: '2', Name: 'Slack', Status: 'active', 'Primary Owner': 'ann@example.com' },
  { ID: '30', Name: 'Box', Status: 'inactive' },
];
// The scripted record, ID 7, night by night (null: not in the export).
const okta: Row = { ID: '7', Name: 'Okta', Status: 'active', 'Primary Owner': 'ann@example.com', Metadata: '{"tier":"gold","sso":true}', 'Last Run': '2026-01-02T02:00:00Z' };
const scripted: Array<Row | null> = [
  null,
  okta,
  { ...okta, Status: 'inactive', 'Primary Owner': 'mallory@example.com' },
  { ...okta, Status: 'inactive', 'Primary Owner': 'mallory@example.com', Metadata: '{"tier":"silver","sso":true}', 'Last Run': '2026-01-04T02:00:00Z' },
  null,
  { ...okta, Status: 'active' },
  { ...okta, Name: 'Okta SSO' },
];
const zoom = (tenant: string, name: string): Row => ({ 'Tenant ID': tenant, 'Tenant Name': `Tenant ${tenant}`, 'Tenant Status': 'active', 'Tenant Created At': '2025-01-01', ID: 'zoom', Name: name });
const apps = (night: number): Row[] => [
  zoom('01TENANT', night >= 2 ? 'Zoom Workplace' : 'Zoom'),
  { ...zoom('01TENANT', 'Asana'), ID: 'asana' },
  ...(night >= 4 ? [] : [zoom('02TENANT', 'Zoom')]),
];

let night: Night;
const commits: string[] = [];

async function runNight(index: number, extraColumns: readonly string[] = []): Promise<void> {
  const record = scripted[index] ?? null;
  const columns = [...INTEGRATIONS, ...extraColumns];
  night.sandbox.setExport('integrations', csv(columns, [...steady, ...(record === null ? [] : [record])]));
  night.sandbox.setExport('apps', csv(APPS, apps(index)));
  const run = await night.snapshot(['--resources', 'integrations,apps']);
  expect(run.code, run.stderr).toBe(0);
  commits.push(git(night.repo, 'rev-parse', 'HEAD').trim());
}

const history = (...args: string[]): Promise<CliRun> => runCli(['history', ...args, '--repo', night.repo], { env: night.env(), cwd: night.root });
const json = async (...args: string[]) => {
  const run = await history(...args, '--format', 'json');
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as { resource: string; id: string; entries: Array<{ commit: string; date: string; event: string; changes: Array<Record<string, unknown>> }> };
};
const events = (h: Awaited<ReturnType<typeof json>>) => h.entries.map((e) => `${commits.indexOf(e.commit)} ${e.event}`);

beforeAll(async () => {
  night = await startNight();
  for (let i = 0; i < scripted.length; i++) await runNight(i, i === 6 ? ['Region'] : []);
}, 240_000);

afterAll(async () => {
  await night.close();
});

describe('balkan-audit history RESOURCE ID', () => {
  it('gives the scripted record\'s six entries newest first, each with the night\'s field changes', async () => {
    const h = await json('integrations', '7');
    expect(h.resource).toBe('integrations');
    expect(h.id).toBe('7');
    expect(events(h)).toEqual(['6 changed', '5 readded', '4 removed', '3 changed', '2 changed', '1 added']);
    expect(h.entries.map((e) => Object.keys(e))).toEqual(h.entries.map(() => ['commit', 'date', 'event', 'changes']));
    for (const entry of h.entries) {
      expect(entry.date).toBe(new Date(git(night.repo, 'log', '-1', '--format=%aI', entry.commit).trim()).toISOString());
      for (const change of entry.changes) expect(Object.keys(change)).toEqual(['field', 'path', 'op', 'before', 'after', 'volatile']);
    }
    const [renamed, readded, removed, metadata, owner, added] = h.entries;
    // Night 6 also added a Region column, empty for this record: no change of its own.
    expect(renamed!.changes).toEqual([{ field: 'Name', path: [], op: 'changed', before: 'Okta', after: 'Okta SSO', volatile: false }]);
    expect(metadata!.changes).toEqual([
      { field: 'Last Run', path: [], op: 'changed', before: '2026-01-02T02:00:00Z', after: '2026-01-04T02:00:00Z', volatile: true },
      { field: 'Metadata', path: ['tier'], op: 'changed', before: 'gold', after: 'silver', volatile: false },
    ]);
    expect(owner!.changes).toEqual([
      { field: 'Status', path: [], op: 'changed', before: 'active', after: 'inactive', volatile: false },
      { field: 'Primary Owner', path: [], op: 'changed', before: 'ann@example.com', after: 'mallory@example.com', volatile: false },
    ]);
    expect(added!.changes.map((c) => [c.field, c.op, c.after])).toEqual([
      ['ID', 'added', '7'], ['Name', 'added', 'Okta'], ['Last Run', 'added', '2026-01-02T02:00:00Z'], ['Status', 'added', 'active'],
      ['Primary Owner', 'added', 'ann@example.com'], ['Metadata', 'added', { sso: true, tier: 'gold' }],
    ]);
    expect(readded!.changes.find((c) => c.field === 'Status')).toMatchObject({ op: 'added', before: null, after: 'active' });
    expect(removed!.changes.find((c) => c.field === 'Primary Owner')).toMatchObject({ op: 'removed', before: 'mallory@example.com', after: null });
  });

  it('counts a record of the first snapshot as added, and a column added to the export as no change', async () => {
    expect(events(await json('integrations', '1'))).toEqual(['0 added']);
  });

  it('finds a composite key in its display form', async () => {
    expect(events(await json('apps', '01TENANT/zoom'))).toEqual(['2 changed', '0 added']);
    const other = await json('apps', '02TENANT/zoom');
    expect(other.id).toBe('02TENANT/zoom');
    expect(events(other)).toEqual(['4 removed', '0 added']);
    expect((await json('apps', '01TENANT/zoom')).entries[0]!.changes).toEqual([{ field: 'Name', path: [], op: 'changed', before: 'Zoom', after: 'Zoom Workplace', volatile: false }]);
  });

  it('keeps to --limit and --since', async () => {
    expect(events(await json('integrations', '7', '--limit', '2'))).toEqual(['6 changed', '5 readded']);
    expect(events(await json('integrations', '7', '--since', commits[3]!))).toEqual(['6 changed', '5 readded', '4 removed']);
    expect(events(await json('integrations', '7', '--since', commits[4]!, '--limit', '1'))).toEqual(['6 changed']);
    expect(events(await json('integrations', '7', '--since', '2000-01-01'))).toHaveLength(6);
    expect((await json('integrations', '7', '--since', '2999-01-01')).entries).toEqual([]);
    // Neither a date nor a revision: said so, with both forms.
    const slashes = await history('integrations', '7', '--since', '2026/01/01');
    expect(slashes.code).toBe(1);
    expect(slashes.stderr).toContain('error [CLI_INVALID_OPTION]: --since "2026/01/01" is neither a date nor a revision of the repository');
    expect(slashes.stderr).toContain('hint: give a day (2026-01-01)');
  });

  it('prints Markdown by default', async () => {
    const run = await history('integrations', '7', '--limit', '2');
    expect(run.code).toBe(0);
    const short = (i: number) => commits[i]!.slice(0, 12);
    expect(run.stdout.replace(/^### \d{4}-\d{2}-\d{2}/gm, '### DAY')).toBe([
      '## integrations 7 · Okta SSO',
      '',
      // Four read: night 5's appearance is a re-addition only if an older night holds the record.
      '2 changes, newest first (at most 2) · read 4 commits of main that changed snapshots/integrations.csv',
      '',
      `### DAY · changed · \`${short(6)}\``,
      '',
      '| field | change |',
      '|:--|:--|',
      '| Name | Okta → Okta SSO |',
      '',
      `### DAY · readded · \`${short(5)}\``,
      '',
      '| field | value |',
      '|:--|:--|',
      '| ID | 7 |',
      '| Name | Okta |',
      '| Last Run (volatile) | 2026-01-02T02:00:00Z |',
      '| Status | active |',
      '| Primary Owner | ann@&#8203;example.com |',
      '| Metadata | {"sso":true,"tier":"gold"} |',
      '',
    ].join('\n'));
  });

  it('prints it for reading when stdout is a terminal: values as they are, escapes for GitHub only when piped', async () => {
    const tty = await runCliInTerminal(['history', 'integrations', '7', '--limit', '2', '--repo', night.repo], { env: night.env(), cwd: night.root });
    expect(tty.code, tty.stderr).toBe(0);
    const shown = tty.stdout.replace(/\r\n/g, '\n');
    expect(shown).toContain('| Primary Owner | ann@example.com |\n');
    expect(shown).not.toContain('&#8203;');
    expect((await history('integrations', '7', '--limit', '2')).stdout).toContain('| Primary Owner | ann@&#8203;example.com |\n');
  });

  it('says clearly that a record never existed, or that a resource has no snapshot (exit 1)', async () => {
    const missing = await history('integrations', '999');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error \[HISTORY_RECORD_NOT_FOUND\]: integrations has no record "999" in any of the 7 commits of main that changed snapshots\/integrations.csv$/m);
    const unknown = await history('campaigns', '1');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^error \[HISTORY_UNKNOWN_RESOURCE\]: no commit of main has snapshots\/campaigns.csv\nhint: the snapshot has apps, integrations$/m);
    const badId = await history('apps', 'zoom');
    expect(badId.code).toBe(1);
    expect(badId.stderr).toContain('error [HISTORY_BAD_ID]');
  });
});

describe('balkan-audit history RESOURCE', () => {
  it('lists the nights that changed the resource, with the counts their commits recorded', async () => {
    const run = await history('integrations', '--format', 'json');
    expect(run.code, run.stderr).toBe(0);
    const list = JSON.parse(run.stdout) as { resource: string; nights: Array<{ commit: string; merge: boolean; counts: unknown; baseline: unknown; events: unknown }> };
    expect(list.nights.map((n) => commits.indexOf(n.commit))).toEqual([6, 5, 4, 3, 2, 1, 0]);
    expect(list.nights[0]).toMatchObject({ merge: false, counts: { added: 0, removed: 0, changed: 1 }, baseline: null, events: { high: 0, medium: 1, low: 1 } });
    expect(list.nights[6]).toMatchObject({ counts: null, baseline: 3, events: { high: 0, medium: 0, low: 1 } });
    const md = await history('integrations', '--limit', '3');
    expect(md.stdout).toContain('## integrations: 3 nights');
    expect(md.stdout).toContain(`| \`${commits[4]!.slice(0, 12)}\` | 0 | 1 | 0 | 1 | 0 | 0 |`);
  });
});

describe('a shallow clone (actions/checkout without fetch-depth: 0)', () => {
  it('reads what the clone holds, refuses with STORE_SHALLOW what lies past its edge, and verify --all names the edge', async () => {
    const clone = join(night.root, 'shallow');
    git(night.root, 'clone', '-q', '--depth=3', `file://${night.repo}`, clone);
    const edge = git(clone, 'rev-parse', 'HEAD~2').trim();
    expect(edge).toBe(commits[4]);
    const inClone = (...args: string[]) => runCli([...args, '--repo', clone], { env: night.env(), cwd: night.root });

    const nights = await inClone('history', 'integrations', '--format', 'json', '--limit', '2');
    expect(nights.code, nights.stderr).toBe(0);
    expect((JSON.parse(nights.stdout) as { nights: Array<{ commit: string }> }).nights.map((n) => n.commit)).toEqual([commits[6], commits[5]]);
    const newest = await inClone('history', 'integrations', '7', '--format', 'json', '--limit', '1');
    expect(newest.code, newest.stderr).toBe(0);
    expect((JSON.parse(newest.stdout) as { entries: Array<{ commit: string; event: string }> }).entries).toMatchObject([{ commit: commits[6], event: 'changed' }]);
    // Record 7 came back on night 5: whether that was a re-addition is known only from before the edge.
    const record = await inClone('history', 'integrations', '7');
    expect(record.code).toBe(1);
    expect(record.stdout).toBe('');
    expect(record.stderr).toMatch(new RegExp(`^error \\[STORE_SHALLOW\\]: the history of snapshots/integrations.csv needs the history before commit ${edge.slice(0, 12)}, which this shallow clone does not hold\nhint: fetch the whole history: git fetch --unshallow`, 'm'));

    const verify = await inClone('verify', '--all');
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toContain(`verified 3 commit(s) that touched snapshots/`);
    expect(verify.stdout).toContain(`shallow clone: history before ${edge.slice(0, 12)} is not here and was not verified (git fetch --unshallow)`);
  });

  it('takes a night in a clone one commit deep, on top of its tip', async () => {
    const clone = join(night.root, 'one-deep');
    git(night.root, 'clone', '-q', '--depth=1', `file://${night.repo}`, clone);
    night.sandbox.setExport('integrations', csv(INTEGRATIONS, [...steady, { ID: '8', Name: 'Jira', Status: 'active' }]));
    night.sandbox.setExport('apps', csv(APPS, apps(6)));
    const run = await runCli(['snapshot', '--repo', clone, '--out', join(night.root, 'one-deep-out'), '--poll-interval', '0.01', '--tenant', 'acme', '--resources', 'integrations,apps'], { env: night.env(), cwd: night.root });
    expect(run.code, run.stderr).toBe(0);
    expect(git(clone, 'rev-parse', 'HEAD~1').trim()).toBe(commits[6]);
    expect(git(clone, 'show', 'HEAD:snapshots/integrations.csv')).toContain('\n8,Jira,,active,,\n');
    const verify = await runCli(['verify', '--repo', clone], { env: night.env(), cwd: night.root });
    expect(verify.stdout, verify.stderr).toContain('MAC valid');
    expect(verify.code).toBe(0);
  });
});

describe('history across a merge of a nightly branch, then packed', () => {
  it('reads across the merge: each night of the merged branch is an entry, even a change it undid', async () => {
    // Two nights on a branch (objects and ref only), then a native-git merge into main.
    const branch: string[] = [];
    const branchNight = async (record: Row, first: Row) => {
      night.sandbox.setExport('integrations', csv([...INTEGRATIONS, 'Region'], [{ ...first }, ...steady.slice(1), { ...record, Region: '' }]));
      night.sandbox.setExport('apps', csv(APPS, apps(6)));
      const run = await night.snapshot(['--resources', 'integrations,apps', '--branch', 'nightly']);
      expect(run.code, run.stderr).toBe(0);
      branch.push(git(night.repo, 'rev-parse', 'nightly').trim());
    };
    const last = scripted[6]!;
    await branchNight({ ...last, Status: 'inactive' }, { ...steady[0]!, Status: 'inactive' });
    await branchNight({ ...last, 'Primary Owner': 'bob@example.com' }, steady[0]!);
    expect(git(night.repo, 'rev-parse', 'HEAD').trim()).toBe(commits[6]);
    git(night.repo, 'merge', '-q', '--no-ff', '-m', 'Merge nightly', 'nightly');
    const merge = git(night.repo, 'rev-parse', 'HEAD').trim();
    const named = (h: Awaited<ReturnType<typeof json>>) => h.entries.map((e) => (branch.includes(e.commit) ? `b${branch.indexOf(e.commit) + 1} ${e.event}` : `${commits.indexOf(e.commit)} ${e.event}`));

    const h = await json('integrations', '7');
    expect(named(h)).toEqual(['b2 changed', 'b1 changed', '6 changed', '5 readded', '4 removed', '3 changed', '2 changed', '1 added']);
    // The status went inactive on the branch's first night and back on its second, with a new owner.
    expect(h.entries[1]!.changes).toEqual([{ field: 'Status', path: [], op: 'changed', before: 'active', after: 'inactive', volatile: false }]);
    expect(h.entries[0]!.changes).toEqual(expect.arrayContaining([
      { field: 'Status', path: [], op: 'changed', before: 'inactive', after: 'active', volatile: false },
      { field: 'Primary Owner', path: [], op: 'changed', before: 'ann@example.com', after: 'bob@example.com', volatile: false },
    ]));
    // Record 1 changed and changed back on the branch: both nights are on record.
    expect(named(await json('integrations', '1'))).toEqual(['b2 changed', 'b1 changed', '0 added']);
    // The merge took the branch's files: it is no night of its own.
    const nights = JSON.parse((await history('integrations', '--format', 'json', '--limit', '2')).stdout) as { nights: Array<{ commit: string; merge: boolean }> };
    expect(nights.nights.map((n) => n.commit)).toEqual([branch[1], branch[0]]);
    expect(nights.nights.map((n) => n.commit)).not.toContain(merge);
    // --since the merge's first parent: only the branch's nights.
    expect(named(await json('integrations', '7', '--since', commits[6]!))).toEqual(['b2 changed', 'b1 changed']);

    // A clone's repository is packed: the same history, read from delta chains.
    git(night.repo, 'gc', '-q', '--aggressive');
    expect(git(night.repo, 'count-objects', '-v')).toMatch(/^count: 0$/m);
    expect(await json('integrations', '7')).toEqual(h);
    expect(named(await json('apps', '02TENANT/zoom'))).toEqual(['4 removed', '0 added']);
  });
});
