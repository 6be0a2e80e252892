import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { createExportClient, dispatcherFromEnv } from '@balkan-audit/client';
import type { ChangeSet } from '@balkan-audit/diff';
import { createSandbox, SANDBOX_RESOURCES } from '@balkan-audit/sandbox';
import { defineCommand } from '../_command.js';
import { writeLine, type CliIo } from '../io.js';
import { createProgressReporter } from '../progress.js';
import { CliError } from '../_errors.js';
import { trapSignals } from '../_signals.js';
import { VERSION } from '../version.js';
import { describeOutcome } from '../nightly/describe-outcome.js';
import { runNightly, type NightlyResult } from '../nightly/run-nightly.js';
import { formatNightlySummary } from '../nightly/summary.js';
import { renderReports, REPORT_FORMATS, writeReports } from '../reports.js';

interface DemoArgs {
  readonly workdir: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export const demoCommand = defineCommand<DemoArgs>({
  command: 'demo',
  describe: 'Start the API simulator, take two nightly snapshots into a fresh repository, and report the change',
  builder: (yargs) => yargs
    .option('workdir', { type: 'string', default: '.demo', describe: 'Where the demo repository and reports go (emptied first)' }),
  run: runDemo,
});

async function runDemo(args: DemoArgs, io: CliIo): Promise<number> {
  const workdir = resolve(io.cwd, args.workdir);
  const repo = join(workdir, 'repo');
  const reports = join(workdir, 'reports');
  await claimWorkdir(workdir, args.workdir);

  const sandbox = createSandbox({ night: 1 });
  const { apiUrl } = await sandbox.listen(0);
  const trap = trapSignals();
  try {
    writeLine(io.stderr, 'balkan-audit demo: a local stand-in of the BalkanID API serves two nights of a tenant\'s access configuration;');
    writeLine(io.stderr, `each night is exported, normalised and committed to a fresh audit repository in ${relative(io.cwd, repo) || '.'}, and night 2 is compared with night 1.`);
    writeLine(io.stderr, `sandbox API at ${apiUrl}`);
    // The sandbox runs in this process: never through a proxy the environment names.
    const client = createExportClient({
      baseUrl: apiUrl, apiKeyId: sandbox.apiKeyId, apiKeySecret: sandbox.apiKeySecret, poll: { initialDelayMs: 20, maxDelayMs: 200 }, dispatcher: dispatcherFromEnv({}),
    });
    const now = Date.now();
    const night = async (label: string, runAt: Date): Promise<NightlyResult> => {
      writeLine(io.stderr, `— ${label} —`);
      const progress = createProgressReporter(io);
      try {
        return await runNightly({
          repo,
          nested: true,
          snapshotDir: 'snapshots',
          resources: SANDBOX_RESOURCES,
          client,
          campaigns: { includeCompleted: true, includeDraft: true },
          // The demo owns its repository and its key, also under CI.
          redactionKey: 'repository',
          commit: true,
          allowEmpty: false,
          allowMassDelete: false,
          lockTimeoutMs: 0,
          tenant: 'sandbox',
          author: { name: 'balkan-audit demo', email: 'demo@balkan-audit.invalid' },
          concurrency: 3,
          version: VERSION,
          signal: trap.signal,
          now: () => runAt,
          onResource: (outcome) => progress.finish(outcome.resource, describeOutcome(outcome)),
        });
      } finally {
        progress.close();
      }
    };

    const first = await night('night 1', new Date(now - DAY_MS));
    sandbox.setNight(2);
    const second = await night('night 2', new Date(now));
    const written = await writeReports(renderReports(second.changeSet, REPORT_FORMATS), { out: reports, store: null });

    writeLine(io.stdout, `Night 1 took the baseline (${describeBaseline(first.changeSet)}), commit ${first.commit?.slice(0, 12) ?? '—'}.`);
    writeLine(io.stdout, `Night 2 compared against it, commit ${second.commit?.slice(0, 12) ?? '— (no change)'}:`);
    writeLine(io.stdout, '');
    writeLine(io.stdout, formatNightlySummary(second.changeSet, { maxEvents: 40 }));
    writeLine(io.stdout, '');
    writeLine(io.stdout, `repository:  ${relative(io.cwd, repo) || '.'}   (try: git -C ${relative(io.cwd, repo)} log --stat)`);
    for (const file of written.filter((f) => !f.endsWith('.html'))) writeLine(io.stdout, `report:      ${relative(io.cwd, file)}`);
    writeLine(io.stdout, '');
    writeLine(io.stdout, `Open the reviewer's report: ${written.find((f) => f.endsWith('.html'))}`);
    return first.failed.length + second.failed.length > 0 ? 1 : 0;
  } catch (error) {
    const stopped = trap.exitCode();
    if (stopped === null) throw error;
    writeLine(io.stderr, `balkan-audit demo: stopped by ${trap.received()}`);
    return stopped;
  } finally {
    trap.dispose();
    await sandbox.close();
  }
}

/** Marks a folder as the demo's: only a folder with this file (or a missing or empty one) is emptied. */
const MARKER = '.balkan-audit-demo';

/**
 * Makes `workdir` the demo's. A missing or empty folder is taken and marked; a marked one is
 * emptied of what an earlier demo made (its repository and reports); anything else is refused: the
 * demo deletes only what it made.
 */
async function claimWorkdir(workdir: string, shown: string): Promise<void> {
  const entries = await readdir(workdir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    if (error.code === 'ENOTDIR') throw new CliError('DEMO_WORKDIR_NOT_EMPTY', `--workdir ${shown} is a file, not a folder`, { hint: 'pass a new or empty folder' });
    throw error;
  });
  if (entries !== null && entries.length > 0 && !entries.includes(MARKER)) {
    throw new CliError('DEMO_WORKDIR_NOT_EMPTY', `--workdir ${shown} is not empty and was not made by the demo; the demo empties its folder, so it refuses to touch this one`, {
      data: { workdir },
      hint: 'pass a new or empty folder (the default is .demo)',
    });
  }
  for (const name of ['repo', 'reports']) await rm(join(workdir, name), { recursive: true, force: true });
  await mkdir(workdir, { recursive: true });
  await writeFile(join(workdir, MARKER), 'This folder belongs to `balkan-audit demo`, which empties it on every run.\n');
}

function describeBaseline(changeSet: ChangeSet): string {
  return changeSet.resources.map((r) => `${r.resource} ${r.counts.after}`).join(', ');
}
