import { existsSync, readdirSync } from 'node:fs';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChangeSet } from '@balkan-audit/diff';
import { sandboxCsv } from '@balkan-audit/sandbox';
import { actionOutputs, loadAction } from '../helpers/action.js';
import { git } from '../helpers/git.js';
import { createFakeGitHub, type FakeGitHub, type NightRun } from '../helpers/github.js';
import { eventKinds, startNight, type Night } from '../helpers/night.js';

// Issue 14: the nightly pull request, where merging is the approval. action.yml's own night step
// (it runs scripts/nightly-pr.sh) over several nights against the sandbox, with native git as
// GitHub's repository and a fake `gh` (GitHub is not reachable from here: see helpers/github.ts).
let night: Night;
let github: FakeGitHub;
beforeEach(async () => {
  night = await startNight();
  github = await createFakeGitHub(night.root);
});
afterEach(async () => { await night.close(); });

/** A night of the action with `with: { tenant: acme }` and the workflow's secrets in `env`. */
const run = (env: Record<string, string> = {}): Promise<NightRun> => github.night(night.env(env), { tenant: 'acme', 'snapshot-options': '--poll-interval 0.01' });

// Night 1's change comes from the sandbox's second data set; nights 2 and 3 add one record each.
const NIGHT1 = 'Integration Workday: status active → inactive';
const NIGHT2 = 'Integration Okta Staging added';
const NIGHT3 = 'Label Auditor added';
const night2Integrations = `${sandboxCsv('integrations', 2)}90,Okta Staging,,,active,,,,,,,,,,eu-west-1\n`;
const night3Labels = `${sandboxCsv('labels', 2)}employee/auditor,Auditor,,,#FFFFFF,#000000,employee,#FFFFFF,#000000,#FFFFFF,#000000\n`;

/** The body's two parts: what awaits approval, and the night's own change after the rule. */
function parts(body: string | undefined): { awaiting: string; lastNight: string } {
  const at = body?.indexOf('\n---\n') ?? -1;
  expect(at).toBeGreaterThan(0);
  return { awaiting: body!.slice(0, at), lastNight: body!.slice(at) };
}

/** The pull-request operations of a night: `pr list`, `pr create`, `pr edit N`. */
const operations = (result: NightRun): string[] => result.gh.map((c) => c.args.slice(0, c.args[1] === 'edit' ? 3 : 2).join(' '));

function expectSucceeded(result: NightRun, code = 0): void {
  expect({ code: result.code, stderr: result.code === code ? '' : result.stderr }).toEqual({ code, stderr: '' });
}

const isAncestor = (ancestor: string, descendant: string): boolean => {
  try {
    git(github.origin, 'merge-base', '--is-ancestor', ancestor, descendant);
    return true;
  } catch {
    return false;
  }
};

describe('the nightly pull request (scripts/nightly-pr.sh)', () => {
  it('keeps one pull request of what awaits approval, restarts it after a merge, and never drops a commit', { timeout: 180_000 }, async () => {
    const tips: string[] = [];
    // The first night: the baseline, awaiting approval like any other night.
    const first = await run();
    expectSucceeded(first);
    expect(operations(first)).toEqual(['pr list', 'pr create']);
    expect(first.gh[1]!.args).toEqual(expect.arrayContaining(['--base', 'main', '--head', 'audit/nightly', '--title', 'Access configuration awaiting approval (acme)']));
    expect(first.outputs).toMatchObject({ changed: 'true', 'pull-request': '1' });
    tips.push(github.tip('audit/nightly')!);
    github.merge();

    // Night 1 starts again at main (the merged branch is an ancestor of it: a fast-forward).
    night.sandbox.setNight(2);
    const night1 = await run();
    expectSucceeded(night1);
    tips.push(github.tip('audit/nightly')!);
    expect(git(github.origin, 'rev-parse', 'audit/nightly~1').trim()).toBe(github.tip('main'));
    expect(operations(night1)).toEqual(['pr list', 'pr create']);
    expect(night1.outputs['pull-request']).toBe('2');
    const body1 = parts(night1.gh[1]!.body);
    expect(body1.awaiting).toContain('1 nightly snapshot(s) on `audit/nightly` that `main` does not hold yet.');
    expect(body1.awaiting).toContain(NIGHT1);
    expect(body1.lastNight).toContain('It is all of the above: one night awaits approval.');

    // Night 2 continues the open pull request: its body spans nights 1 and 2.
    night.sandbox.setExport('integrations', night2Integrations);
    const night2 = await run();
    expectSucceeded(night2);
    tips.push(github.tip('audit/nightly')!);
    expect(operations(night2)).toEqual(['pr list', 'pr edit 2']);
    const body2 = parts(night2.gh[1]!.body);
    expect(body2.awaiting).toContain('2 nightly snapshot(s)');
    expect(body2.awaiting).toContain(NIGHT1);
    expect(body2.awaiting).toContain(NIGHT2);
    expect(body2.lastNight).toContain('<details><summary>Last night\'s own change</summary>');
    expect(body2.lastNight).toContain(NIGHT2);
    expect(body2.lastNight).not.toContain(NIGHT1);
    expect(night2.gh[1]!.body!.length).toBeLessThanOrEqual(65_536);
    const approval = github.merge();

    // Night 3, after the merge: a new pull request with night 3's change only.
    night.sandbox.setExport('labels', night3Labels);
    const night3 = await run();
    expectSucceeded(night3);
    tips.push(github.tip('audit/nightly')!);
    expect(operations(night3)).toEqual(['pr list', 'pr create']);
    const body3 = night3.gh[1]!.body!;
    expect(body3).toContain(NIGHT3);
    expect(body3).not.toContain(NIGHT1);
    expect(body3).not.toContain(NIGHT2);
    expect(git(github.origin, 'rev-parse', 'audit/nightly~1').trim()).toBe(approval);

    // Outputs: the night's own reports, its high-severity events.
    const report = JSON.parse(await readFile(night3.outputs['report-json']!, 'utf8')) as ChangeSet;
    // A night that starts at a merge commit trusts its snapshot as the branch's last night left it.
    expect(eventKinds(report)).not.toContain('snapshot.tampered');
    expect(night3.outputs).toMatchObject({ changed: 'true', 'high-events': String(report.summary.events.high), 'pull-request': '3' });
    expect(Number(night2.outputs['high-events'])).toBeGreaterThan(0);
    for (const name of ['report-md', 'report-html', 'report-json', 'pr-body']) expect(existsSync(night3.outputs[name]!)).toBe(true);
    // Each of the action's outputs reads one the step wrote; the commits carry the action's author.
    expect(Object.values(actionOutputs(loadAction())).sort()).toEqual(Object.keys(night3.outputs).sort());
    expect(git(github.origin, 'log', '-1', '--format=%an <%ae>', 'audit/nightly').trim()).toBe('github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>');
    expect(await readFile(night3.outputs['pr-body']!, 'utf8')).toBe(body3);
    // The job summary: the night's own Markdown (once; the awaiting-approval diff is not added), the PR.
    expect(night3.summary).toBe(`${await readFile(night3.outputs['report-md']!, 'utf8')}\nAwaiting approval in pull request #3.\n`);

    // Never two pull requests open at once: each create follows a merge.
    expect(github.calls().filter((c) => c.args[1] === 'create')).toHaveLength(3);
    // No commit dropped, nothing forced: each tip the branch ever had is in the history of the one
    // after it, and all of them in main or audit/nightly (origin refuses non-fast-forwards too).
    for (let i = 1; i < tips.length; i += 1) expect(isAncestor(tips[i - 1]!, tips[i]!)).toBe(true);
    expect(git(github.origin, 'rev-list', '--count', 'main..audit/nightly').trim()).toBe('1');
    expect(git(github.origin, 'log', '--merges', '--first-parent', '--format=%s', 'main').trim().split('\n'))
      .toEqual(['Merge pull request #2 from acme/audit/nightly', 'Merge pull request #1 from acme/audit/nightly']);
    expect(Number(git(github.origin, 'rev-list', '--count', 'audit/nightly', '--', 'snapshots').trim())).toBe(4);
    // The digest cache a runner keeps with actions/cache is there to keep.
    expect(readdirSync(join(night3.checkout, '.git', 'balkan-audit', 'cache')).length).toBeGreaterThan(0);
  });

  it('continues from someone else\'s commit, makes no commit or call on a quiet night, pushes what a failed night committed, and never forces a refused push', { timeout: 180_000 }, async () => {
    expectSucceeded(await run());
    // Someone adds a commit of their own to the branch: the nights continue from it.
    const reviewer = join(night.root, 'someone');
    git(night.root, 'clone', '--quiet', '--branch', 'audit/nightly', github.origin, reviewer);
    git(reviewer, 'commit', '--quiet', '--allow-empty', '-m', 'A note for the reviewers');
    git(reviewer, 'push', '--quiet', 'origin', 'audit/nightly');
    const baseline = github.tip('audit/nightly');

    const quiet = await run();
    expectSucceeded(quiet);
    expect(quiet.gh).toEqual([]);
    expect(quiet.outputs).toMatchObject({ changed: 'false', 'high-events': '0' });
    expect(quiet.outputs['pull-request']).toBeUndefined();
    expect(quiet.stderr).toContain('nothing changed: no commit, no pull request');
    expect(github.tip('audit/nightly')).toBe(baseline);

    // An export fails: the others are committed and pushed, the pull request updated, exit 1. The
    // body limit is lowered so that last night's report no longer fits beside the awaiting one.
    night.sandbox.setNight(2);
    night.sandbox.setFaults({ only: ['labels'], unauthorized: true });
    const failed = await run({ NIGHTLY_PR_BODY_LIMIT: '4000' });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('labels');
    expect(failed.outputs).toMatchObject({ changed: 'true', 'high-events': '2' });
    expect(git(github.origin, 'rev-parse', 'audit/nightly~1').trim()).toBe(baseline);
    const manifest = JSON.parse(git(github.origin, 'show', 'audit/nightly:snapshots/manifest.json'));
    expect(manifest.resources.labels.status).toBe('failed');
    expect(manifest.resources.integrations.status).toBe('ok');
    expect(operations(failed)).toEqual(['pr list', 'pr edit 1']);
    const body = failed.gh[1]!.body!;
    expect(body.length).toBeLessThanOrEqual(4000);
    // main holds no snapshot yet: what awaits approval is the first snapshot, as of tonight.
    expect(parts(body).awaiting).toContain('First snapshot (baseline) of 10 records.');
    expect(parts(body).lastNight).toMatch(/^\n---\n\n\*\*Last night\*\* \(\d{4}-\d\d-\d\d\): 2 added, 1 removed, 8 changed; events: 2 high, 8 medium, 0 low\. Its full report is too long to show here as well/);

    // Every export fails: nothing to commit, no pull-request call, exit 1.
    night.sandbox.setFaults({ unauthorized: true });
    const down = await run();
    expect(down.code).toBe(1);
    expect(down.gh).toEqual([]);
    expect(down.outputs.changed).toBe('false');
    expect(down.stderr).toContain('the snapshot failed (exit 1) and committed nothing');

    // Labels recover; with a limit below even the awaiting report, both parts are summarised.
    night.sandbox.setFaults({});
    const recovered = await run({ NIGHTLY_PR_BODY_LIMIT: '1000' });
    expectSucceeded(recovered);
    const small = recovered.gh[1]!.body!;
    expect(small.length).toBeLessThanOrEqual(1000);
    expect(small).toContain('The report of everything awaiting approval is too long for a pull-request description: run `balkan-audit diff main audit/nightly` on a clone.');
    expect(small).toContain('0 added, 0 removed, 2 changed');

    // A push GitHub refuses is an error, and it is not tried again (with force or otherwise).
    const hook = join(github.origin, 'hooks', 'pre-receive');
    await writeFile(hook, `#!/bin/sh\ncat >>"${join(night.root, 'pushes')}"\necho 'branch protected' >&2\nexit 1\n`);
    await chmod(hook, 0o755);
    const tip = github.tip('audit/nightly');
    night.sandbox.setExport('integrations', night2Integrations);
    const refused = await run();
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('error: the push to origin audit/nightly was rejected');
    expect(refused.gh).toEqual([]);
    expect((await readFile(join(night.root, 'pushes'), 'utf8')).trim().split('\n')).toHaveLength(1);
    expect(github.tip('audit/nightly')).toBe(tip);
  });
});
