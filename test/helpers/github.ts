/**
 * A stand-in for GitHub around `scripts/nightly-pr.sh`, for end-to-end tests. GitHub itself is not
 * reachable here, so:
 *  - "GitHub's repository" is a bare repository (the runner's `origin`) that refuses
 *    non-fast-forward pushes, as a protected branch does;
 *  - each night runs action.yml's own `night` step (which calls scripts/nightly-pr.sh) in a fresh
 *    shallow clone of it, as `actions/checkout` makes one, with the digest cache carried over from
 *    the night before, as `actions/cache` does;
 *  - the GitHub CLI is a fake `gh` on PATH: it records every call (with the body file's content)
 *    and keeps the one open pull request's number, so a test sees exactly which pull-request
 *    operations happened and with which body;
 *  - a reviewer's merge is a native `git merge --no-ff` pushed to the base branch, after which the
 *    pull request is closed, as GitHub closes a merged one.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadAction, resolveNightStep, ROOT } from './action.js';
import { cleanEnv, spawnCollecting } from './cli.js';
import { git } from './git.js';

/** One call of the fake `gh`: its arguments, and the content of `--body-file` when given. */
export interface GhCall {
  readonly args: readonly string[];
  readonly body?: string;
}

export interface NightRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** What the script wrote to `$GITHUB_OUTPUT`. */
  readonly outputs: Record<string, string>;
  /** What was appended to `$GITHUB_STEP_SUMMARY`. */
  readonly summary: string;
  /** The fake `gh`'s calls during this night only. */
  readonly gh: readonly GhCall[];
  /** The runner's checkout of the night. */
  readonly checkout: string;
}

export interface FakeGitHub {
  /** The bare repository: `origin`. */
  readonly origin: string;
  /** Every `gh` call so far. */
  calls(): GhCall[];
  /**
   * One night: a fresh clone, the cache of the night before, then the action's `night` step with
   * the inputs `given` (as `with:` gives them) and `env` (as the workflow's step `env:` does).
   */
  night(env: Record<string, string>, given?: Record<string, string>): Promise<NightRun>;
  /** A reviewer merges the open pull request into `main` with a merge commit; GitHub closes it. */
  merge(): string;
  /** `git rev-parse` in origin, or null when the ref does not exist. */
  tip(ref: string): string | null;
}

const FAKE_GH = `#!${process.execPath}
// The fake GitHub CLI of test/helpers/github.ts: records each call, answers \`pr list\` from a file.
const fs = require('node:fs');
const path = require('node:path');
const dir = process.env.FAKE_GH_DIR;
const args = process.argv.slice(2);
const bodyAt = args.indexOf('--body-file');
const call = bodyAt < 0 ? { args } : { args, body: fs.readFileSync(args[bodyAt + 1], 'utf8') };
fs.appendFileSync(path.join(dir, 'calls.jsonl'), JSON.stringify(call) + '\\n');
const open = path.join(dir, 'open-pr');
const [group, verb] = args;
if (group !== 'pr') { console.error('fake gh: only pr commands'); process.exit(1); }
if (verb === 'list') {
  if (fs.existsSync(open)) process.stdout.write(fs.readFileSync(open, 'utf8') + '\\n');
} else if (verb === 'create') {
  if (fs.existsSync(open)) { console.error('fake gh: a pull request from this branch is already open'); process.exit(1); }
  const counter = path.join(dir, 'last-number');
  const number = (fs.existsSync(counter) ? Number(fs.readFileSync(counter, 'utf8')) : 0) + 1;
  fs.writeFileSync(counter, String(number));
  fs.writeFileSync(open, String(number));
  process.stdout.write('https://github.com/acme/audit/pull/' + number + '\\n');
} else if (verb === 'edit') {
  if (!fs.existsSync(open) || fs.readFileSync(open, 'utf8') !== args[2]) { console.error('fake gh: no open pull request #' + args[2]); process.exit(1); }
  process.stdout.write('https://github.com/acme/audit/pull/' + args[2] + '\\n');
} else { console.error('fake gh: unexpected ' + verb); process.exit(1); }
`;

/** `root` is an empty folder the test owns; origin gets `main` with one commit (a README). */
export async function createFakeGitHub(root: string): Promise<FakeGitHub> {
  const origin = join(root, 'origin.git');
  const bin = join(root, 'fake-bin');
  const ghDir = join(root, 'fake-gh');
  await Promise.all([mkdir(bin), mkdir(ghDir)]);
  await writeFile(join(bin, 'gh'), FAKE_GH);
  await chmod(join(bin, 'gh'), 0o755);
  git(root, 'init', '--quiet', '--bare', '--initial-branch=main', origin);
  git(origin, 'config', 'receive.denyNonFastForwards', 'true');
  const seed = join(root, 'seed');
  git(root, 'init', '--quiet', '--initial-branch=main', seed);
  await writeFile(join(seed, 'README.md'), '# acme access configuration\n');
  git(seed, 'add', 'README.md');
  git(seed, 'commit', '--quiet', '-m', 'An audit repository');
  git(seed, 'push', '--quiet', origin, 'HEAD:main');

  let nights = 0;
  const calls = (): GhCall[] => {
    const file = join(ghDir, 'calls.jsonl');
    return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as GhCall) : [];
  };
  const tip = (ref: string): string | null => {
    try {
      return git(origin, 'rev-parse', '--verify', '--quiet', `refs/heads/${ref}`).trim();
    } catch {
      return null;
    }
  };

  return {
    origin,
    calls,
    tip,
    async night(env, given = {}) {
      nights += 1;
      const checkout = join(root, `runner-${nights}`);
      git(root, 'clone', '--quiet', '--depth', '1', '--branch', 'main', `file://${origin}`, checkout);
      const previous = join(root, `runner-${nights - 1}`, '.git', 'balkan-audit', 'cache');
      if (existsSync(previous)) await cp(previous, join(checkout, '.git', 'balkan-audit', 'cache'), { recursive: true });
      const outputs = join(root, `github-output-${nights}`);
      const summary = join(root, `step-summary-${nights}`);
      await Promise.all([writeFile(outputs, ''), writeFile(summary, '')]);
      const temp = join(root, `runner-temp-${nights}`);
      await mkdir(temp);
      const step = resolveNightStep(loadAction(), given, { token: 'fake-token' });
      await writeFile(join(temp, 'night.sh'), step.run);
      const before = calls().length;
      const run = await runBash([...step.bashArgs, join(temp, 'night.sh')], join(checkout, step.workingDirectory), cleanEnv({
        ...env,
        ...step.env,
        PATH: `${bin}:${process.env.PATH ?? ''}`,
        FAKE_GH_DIR: ghDir,
        GITHUB_ACTION_PATH: ROOT,
        GITHUB_WORKSPACE: checkout,
        GITHUB_OUTPUT: outputs,
        GITHUB_STEP_SUMMARY: summary,
        RUNNER_TEMP: temp,
      }));
      return {
        ...run,
        outputs: Object.fromEntries((await readFile(outputs, 'utf8')).split('\n').filter(Boolean).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)])),
        summary: await readFile(summary, 'utf8'),
        gh: calls().slice(before),
        checkout,
      };
    },
    merge() {
      const open = join(ghDir, 'open-pr');
      const number = readFileSync(open, 'utf8');
      const reviewer = join(root, `reviewer-${number}`);
      git(root, 'clone', '--quiet', origin, reviewer);
      git(reviewer, 'merge', '--quiet', '--no-ff', '-m', `Merge pull request #${number} from acme/audit/nightly`, 'origin/audit/nightly');
      git(reviewer, 'push', '--quiet', 'origin', 'HEAD:main');
      execFileSync('rm', [open]);
      return git(reviewer, 'rev-parse', 'HEAD').trim();
    },
  };
}

function runBash(args: readonly string[], cwd: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return spawnCollecting('bash', args, { cwd, env }).done;
}
