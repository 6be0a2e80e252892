import { mkdir, rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { createExportClient, dispatcherFromEnv } from '@balkan-audit/client';
import type { ChangeSet } from '@balkan-audit/diff';
import { createSandbox, SANDBOX_RESOURCES } from '@balkan-audit/sandbox';
import { openSnapshotStore } from '@balkan-audit/store';
import { defineCommand } from '../_command.js';
import { writeLine, type CliIo } from '../io.js';
import { createProgressReporter } from '../progress.js';
import { resolveRedactionKey } from '../redaction-key.js';
import { VERSION } from '../version.js';
import { describeOutcome } from '../nightly/describe-outcome.js';
import { runNightly, type NightlyResult } from '../nightly/run-nightly.js';
import { formatNightlySummary } from '../nightly/summary.js';
import { writeReports } from './snapshot.js';

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
  await rm(workdir, { recursive: true, force: true });
  await mkdir(repo, { recursive: true });

  const sandbox = createSandbox({ night: 1 });
  const { apiUrl } = await sandbox.listen(0);
  try {
    writeLine(io.stderr, `sandbox API at ${apiUrl}`);
    // The demo's store is created before the first night so its redaction key lives in its own .git.
    await openSnapshotStore({ dir: repo, nested: true });
    const redactionKey = await resolveRedactionKey({ env: io.env, repoDir: repo });
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
          snapshotDir: 'snapshots',
          resources: SANDBOX_RESOURCES,
          client,
          campaigns: { includeCompleted: true, includeDraft: true },
          redactionKey,
          commit: true,
          allowEmpty: false,
          allowMassDelete: false,
          lockTimeoutMs: 0,
          tenant: 'sandbox',
          author: { name: 'balkan-audit demo', email: 'demo@balkan-audit.invalid' },
          concurrency: 3,
          version: VERSION,
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
    const written = await writeReports(second.changeSet, reports, ['json']);

    writeLine(io.stdout, `Night 1 took the baseline (${describeBaseline(first.changeSet)}), commit ${first.commit?.slice(0, 12) ?? '—'}.`);
    writeLine(io.stdout, `Night 2 compared against it, commit ${second.commit?.slice(0, 12) ?? '— (no change)'}:`);
    writeLine(io.stdout, '');
    writeLine(io.stdout, formatNightlySummary(second.changeSet, { maxEvents: 40 }));
    writeLine(io.stdout, '');
    writeLine(io.stdout, `repository:  ${relative(io.cwd, repo) || '.'}   (try: git -C ${relative(io.cwd, repo)} log --stat)`);
    for (const file of written) writeLine(io.stdout, `change set:  ${relative(io.cwd, file)}`);
    return first.failed.length + second.failed.length > 0 ? 1 : 0;
  } finally {
    await sandbox.close();
  }
}

function describeBaseline(changeSet: ChangeSet): string {
  return changeSet.resources.map((r) => `${r.resource} ${r.counts.after}`).join(', ');
}
