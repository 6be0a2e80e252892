import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChangeSet } from '@balkan-audit/diff';
import { sandboxCsv } from '@balkan-audit/sandbox';
import { runCli, runCliInTerminal } from '../helpers/cli.js';
import { git } from '../helpers/git.js';
import { startNight, type Night } from '../helpers/night.js';

// Issue 12: the reports a night writes, `diff FROM TO`, and the GitHub step summary, with the built CLI.
let night: Night;
beforeEach(async () => { night = await startNight(); });
afterEach(async () => { await night.close(); });

const cmark = existsSync('/usr/bin/cmark-gfm') ? '/usr/bin/cmark-gfm' : null;

/** What GitHub would make of the Markdown (raw HTML let through, as GitHub lets some through). */
function githubHtml(markdown: string): string {
  return execFileSync(cmark!, ['--unsafe', '--extension', 'table', '--extension', 'autolink', '--extension', 'strikethrough', '--extension', 'tagfilter'], { input: markdown, encoding: 'utf8' });
}

/** Per resource: status, counts and events, the parts of a change set two runs must agree on. */
function essence(changeSet: ChangeSet) {
  return {
    events: changeSet.events,
    resources: Object.fromEntries(changeSet.resources.map((r) => [r.resource, { status: r.status, counts: r.counts, schemaChanges: r.schemaChanges, events: r.events, added: r.added, removed: r.removed, changed: r.changed }])),
  };
}

describe('the reports of a night', () => {
  it('writes report.md, report.html and report.json, and appends the Markdown to the GitHub step summary', async () => {
    expect((await night.snapshot()).code).toBe(0);
    night.sandbox.setNight(2);
    const summary = join(night.root, 'step-summary.md');
    await writeFile(summary, '# earlier step\n');
    const run = await night.snapshot(['--format', 'md,html,json'], { GITHUB_STEP_SUMMARY: summary });
    expect(run.code).toBe(0);
    for (const name of ['report.md', 'report.html', 'report.json']) expect(run.stdout).toContain(`report: ${join(night.out, name)}`);
    const markdown = await readFile(join(night.out, 'report.md'), 'utf8');
    expect(markdown).toMatch(/^## acme: /);
    expect(markdown).toContain('Integration Workday: status active → inactive');
    expect(await readFile(summary, 'utf8')).toBe(`# earlier step\n${markdown}\n`);
    const html = await readFile(join(night.out, 'report.html'), 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('Content-Security-Policy');
  });

  it('refuses an unknown format before exporting anything', async () => {
    const run = await night.snapshot(['--format', 'md,pdf']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error [CLI_INVALID_OPTION]: --format pdf is not a report format');
    expect(night.sandbox.counters.posts).toEqual({});
  });

  it.runIf(cmark !== null || process.env['CI'])('renders hostile record data as text on GitHub', async () => {
    expect((await night.snapshot()).code).toBe(0);
    const hostile = ['<img src=x onerror=alert(1)>', '@everyone', '[x](javascript:alert(1))', '#1 | evil'];
    night.sandbox.setExport('integrations', `${sandboxCsv('integrations', 1)}${hostile.map((name, i) => `${90 + i},"${name}",,,active,,,,,,,,,`).join('\n')}\n`);
    expect((await night.snapshot(['--format', 'md'])).code).toBe(0);
    const html = githubHtml(await readFile(join(night.out, 'report.md'), 'utf8'));
    expect(html).toContain('<table>');
    expect(html).not.toMatch(/<img|<a href="javascript|@everyone(?!&#8203;)/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('balkan-audit diff FROM TO', () => {
  it('rebuilds the night\'s own change set from the two commits', async () => {
    expect((await night.snapshot()).code).toBe(0);
    night.sandbox.setNight(2);
    expect((await night.snapshot(['--format', 'json'])).code).toBe(0);
    const nightly = await night.report();
    const out = join(night.root, 'diff-out');
    const run = await runCli(['diff', '--repo', night.repo, '--out', out], { env: night.env() });
    expect(run.code).toBe(0);
    const rebuilt = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as ChangeSet;
    expect(essence(rebuilt)).toEqual(essence(nightly));
    expect(rebuilt.from?.commit).toBe(git(night.repo, 'rev-parse', 'HEAD~1').trim());
    expect(rebuilt.to.commit).toBe(git(night.repo, 'rev-parse', 'HEAD').trim());
    expect(existsSync(join(out, 'report.html'))).toBe(true);
  });

  it('prints Markdown by default, limits to --resources, appends the step summary, and spans several nights', async () => {
    expect((await night.snapshot()).code).toBe(0);
    const base = git(night.repo, 'rev-parse', 'HEAD').trim();
    night.sandbox.setNight(2);
    night.sandbox.setFaults({ only: ['labels'], unauthorized: true });
    expect((await night.snapshot()).code).toBe(1);
    night.sandbox.setFaults({});
    expect((await night.snapshot()).code).toBe(0);
    const summary = join(night.root, 'summary.md');
    const run = await runCli(['diff', base, 'HEAD', '--repo', night.repo, '--resources', 'labels,apps', '--detailed-exitcode'], { env: night.env({ GITHUB_STEP_SUMMARY: summary }) });
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/^## acme: /);
    // The labels change came on the second night; both nights' changes are in one report.
    expect(run.stdout).toContain('Label Critical app: renamed to Business critical');
    expect(run.stdout).toContain('App Zoom removed');
    expect(run.stdout).not.toContain('Integration');
    expect(await readFile(summary, 'utf8')).toBe(`${run.stdout}\n`);
    // On a terminal stdout is for reading there; the job summary is GitHub's.
    const piped = await runCli(['diff', base, 'HEAD', '--repo', night.repo], { env: night.env() });
    const ttySummary = join(night.root, 'summary-tty.md');
    const tty = await runCliInTerminal(['diff', base, 'HEAD', '--repo', night.repo], { env: night.env({ GITHUB_STEP_SUMMARY: ttySummary }), cwd: night.root });
    expect(tty.code, tty.stderr).toBe(0);
    expect(piped.stdout).toContain('by tom.wilson@&#8203;balkan.id (entity\\_filter and\\[0\\].value: 90 → 60)');
    expect(tty.stdout).toContain('by tom.wilson@balkan.id (entity_filter and[0].value: 90 → 60)');
    const generated = (text: string) => text.replace(/generated \S+/, 'generated <now>');
    expect(generated(await readFile(ttySummary, 'utf8'))).toBe(generated(`${piped.stdout}\n`));
    // Two reports would run together on stdout: refused, as compare refuses it.
    const two = await runCli(['diff', base, 'HEAD', '--repo', night.repo, '--format', 'md,json'], { env: night.env() });
    expect(two.code).toBe(1);
    expect(two.stdout).toBe('');
    expect(two.stderr).toContain('error [CLI_INVALID_OPTION]: --format md,json: only one report goes to stdout');
  });

  it('names what it cannot compare', async () => {
    expect((await night.snapshot()).code).toBe(0);
    const first = await runCli(['diff', '--repo', night.repo], { env: night.env() });
    expect(first.code).toBe(1);
    expect(first.stderr).toContain('error [STORE_BAD_REF]');
    const unknown = await runCli(['diff', 'HEAD', 'HEAD', '--repo', night.repo, '--resources', 'nosuchthing'], { env: night.env() });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('error [DIFF_UNKNOWN_RESOURCE]');
    await mkdir(join(night.root, 'empty'));
    const none = await runCli(['diff', '--repo', join(night.root, 'empty')], { env: night.env() });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('error [STORE_NOT_A_REPO]');
  });
});

describe('the demo', () => {
  it('writes all three reports and ends by saying where report.html is', async () => {
    const run = await runCli(['demo', '--workdir', join(night.root, 'demo')], { cwd: night.root });
    expect(run.code).toBe(0);
    expect(run.stderr.split('\n').slice(0, 2).join(' ')).toMatch(/stand-in of the BalkanID API .* compared with night 1/);
    const last = run.stdout.trimEnd().split('\n').pop()!;
    expect(last).toBe(`Open the reviewer's report: ${join(night.root, 'demo', 'reports', 'report.html')}`);
    for (const name of ['report.md', 'report.json']) expect(run.stdout).toContain(join('demo', 'reports', name));
  });
});
