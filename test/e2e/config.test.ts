import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { git } from '../helpers/git.js';
import { commitCount, eventKinds, startNight, type Night } from '../helpers/night.js';
import type { ChangeSet } from '@balkan-audit/diff';
import { sandboxCsv } from '@balkan-audit/sandbox';

// Issue 14: balkan-audit.config.json (or --config FILE) drives a night; flags override it; a bad
// file stops the run before any export request or commit.
let night: Night;
beforeEach(async () => { night = await startNight(); });
afterEach(async () => { await night.close(); });

async function writeConfig(config: unknown, file = join(night.repo, 'balkan-audit.config.json')): Promise<string> {
  await writeFile(file, typeof config === 'string' ? config : `${JSON.stringify(config, null, 2)}\n`);
  return file;
}

const resourceOf = (changeSet: ChangeSet, name: string) => changeSet.resources.find((r) => r.resource === name)!;

describe('a night with a configuration file', () => {
  it('snapshots its resources with their filters, ignore columns and severities, in snapshot and in diff', async () => {
    git(night.root, 'init', '-q', '-b', 'main', night.repo);
    await writeConfig({
      $schema: './node_modules/balkan-audit/config.schema.json',
      resources: {
        campaigns: { includeCompleted: true, includeDraft: false },
        integrations: { ignore: ['Primary Owner'] },
        labels: {},
      },
      severity: { 'integration.status_changed': 'low', 'label.style_changed': 'off' },
    });
    const first = await night.snapshot();
    expect(first.stderr).not.toContain('error');
    expect(first.code).toBe(0);
    expect(Object.keys(night.manifest().resources).sort()).toEqual(['campaigns', 'integrations', 'labels']);
    // includeDraft false reached the export request: the draft campaign is not in the snapshot.
    expect(night.show('campaigns')).not.toContain('Test campaign 3');
    expect(night.show('campaigns')).toContain('Test Campaign 2');

    night.sandbox.setNight(2);
    const second = await night.snapshot();
    expect(second.code).toBe(0);
    const changeSet = await night.report();
    const integrations = resourceOf(changeSet, 'integrations');
    // Integration 8's only change is its Primary Owner: ignored, it is no change and no event…
    expect(integrations.changed.map((c) => c.id)).not.toContain('8');
    expect(eventKinds(changeSet)).not.toContain('integration.owner_changed');
    // …but the snapshot keeps the column as exported.
    expect(night.show('integrations')).toContain('tom.wilson@balkan.id');
    expect(integrations.events.find((e) => e.kind === 'integration.status_changed')?.severity).toBe('low');
    // label.style_changed is off: the change is recorded, the event is gone.
    const labels = resourceOf(changeSet, 'labels');
    expect(labels.changed.map((c) => c.id)).toContain('entitlement/sensitive');
    expect(labels.events.map((e) => e.kind)).toEqual(['label.renamed']);

    // diff between the two commits reads the same file.
    const out = join(night.root, 'diff-out');
    const diff = await runCli(['diff', '--repo', night.repo, '--out', out, '--format', 'json'], { env: night.env(), cwd: night.root });
    expect(diff.code).toBe(0);
    const between = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as ChangeSet;
    expect(eventKinds(between).sort()).toEqual(eventKinds(changeSet).sort());

    // history reads it too: night 2's change to integration 8 is the Region column it arrived
    // with; its owner change (ignored) is none.
    const history = await runCli(['history', 'integrations', '8', '--repo', night.repo, '--format', 'json'], { env: night.env(), cwd: night.root });
    expect(history.code, history.stderr).toBe(0);
    const entries = (JSON.parse(history.stdout) as { entries: Array<{ event: string; changes: Array<{ field: string }> }> }).entries;
    expect(entries.map((e) => e.event)).toEqual(['changed', 'added']);
    expect(entries[0]!.changes.map((c) => c.field)).toEqual(['Region']);
  });

  it('makes no commit on a night whose only change is in an ignored column', async () => {
    git(night.root, 'init', '-q', '-b', 'main', night.repo);
    await writeConfig({ resources: { integrations: { ignore: ['Primary Owner'] } } });
    expect((await night.snapshot()).code).toBe(0);
    const before = git(night.repo, 'rev-parse', 'HEAD').trim();
    const committed = night.show('integrations');
    const owner = committed.match(/[a-z.]+@balkan\.id/)![0];
    night.sandbox.setExport('integrations', sandboxCsv('integrations', 1).replace(owner, 'someone.else@balkan.id'));
    const quiet = await night.snapshot(['--detailed-exitcode']);
    expect(quiet.stderr).not.toContain('error');
    expect(quiet.code).toBe(0);
    expect(git(night.repo, 'rev-parse', 'HEAD').trim()).toBe(before);
    expect(commitCount(night.repo)).toBe(1);
    const changeSet = await night.report();
    expect(resourceOf(changeSet, 'integrations')).toMatchObject({ counts: { added: 0, removed: 0, changed: 0 }, events: [] });
  });

  it('lets flags override the file', async () => {
    const config = await writeConfig({ tenant: 'file-tenant', dir: 'audit', formats: ['json'], resources: { labels: {} } }, join(night.root, 'acme.json'));
    const run = await night.snapshot(['--config', config, '--resources', 'apps', '--format', 'md,json']);
    expect(run.code).toBe(0);
    // The file's dir applies (no --dir), the flags' resources and formats win, --tenant wins.
    expect(git(night.repo, 'ls-tree', '--name-only', 'HEAD', 'audit/').trim().split('\n')).toEqual(['audit/apps.csv', 'audit/manifest.json']);
    expect((await night.report()).tenant).toBe('acme');
    expect(run.stdout).toContain(`report: ${join(night.out, 'report.md')}`);
    expect(run.stdout).not.toContain('report.html');

    const withDir = await night.snapshot(['--config', config, '--dir', 'elsewhere']);
    expect(withDir.code).toBe(0);
    expect(git(night.repo, 'ls-tree', '--name-only', 'HEAD', 'elsewhere/').trim().split('\n')).toEqual(['elsewhere/labels.csv', 'elsewhere/manifest.json']);

    // Without --tenant, the file's tenant names the night.
    const withoutTenant = night.snapshotArgs.filter((arg, i, all) => arg !== '--tenant' && all[i - 1] !== '--tenant');
    const fromFile = await runCli([...withoutTenant, '--config', config], { env: night.env(), cwd: night.root });
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect((await night.report()).tenant).toBe('file-tenant');
  });

  it('refuses a bad file with every problem by its JSON path: exit 1, no export request, no commit', async () => {
    git(night.root, 'init', '-q', '-b', 'main', night.repo);
    await writeConfig('{\n  "severty": {},\n  "resources": {"integrations": {"ignor": ["Primary Owner"]}},\n  "apiKeySecret": "sk-live-0d9c8b7a",\n  "severity": {"integration.status_changed": "critical"}\n}\n');
    const run = await night.snapshot();
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error [CONFIG_INVALID]');
    expect(run.stderr).toContain('severty: unknown key');
    expect(run.stderr).toContain('resources.integrations.ignor: unknown key');
    expect(run.stderr).toContain('apiKeySecret: refused');
    expect(run.stderr).toContain('BALKANID_API_KEY_SECRET');
    expect(run.stderr).toContain('severity["integration.status_changed"]: must be one of low, medium, high, off');
    expect(run.stderr + run.stdout).not.toContain('sk-live-0d9c8b7a');
    expect(night.sandbox.counters.apiRequests).toBe(0);
    expect(commitCount(night.repo)).toBe(0);

    const missing = await night.snapshot(['--config', join(night.root, 'nosuch.json')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('error [CONFIG_NOT_FOUND]');
    expect(night.sandbox.counters.apiRequests).toBe(0);
  });
});
