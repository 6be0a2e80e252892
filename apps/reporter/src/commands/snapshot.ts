import { resolve } from 'node:path';
import { DOCUMENTED_EXPORTS, resolveExport } from '@balkan-audit/client';
import { resolveAuthor, type CommitSigner, type SnapshotStore } from '@balkan-audit/store';
import { isBalkanAuditError } from '@balkan-audit/errors';
import { defineCommand } from '../_command.js';
import { CliError } from '../_errors.js';
import { exportClientFor, splitList, withExportOptions, withRepoOptions, type ExportOptionArgs } from '../_options.js';
import { VERSION } from '../version.js';
import { writeLine, type CliIo } from '../io.js';
import { createProgressReporter, exportProgressHandler, formatBytes, formatSeconds } from '../progress.js';
import { trapSignals } from '../_signals.js';
import { commitSigner } from '../signing.js';
import { runNightly, type NightlyResult } from '../nightly/run-nightly.js';
import { formatNightlySummary } from '../nightly/summary.js';
import { describeOutcome } from '../nightly/describe-outcome.js';
import { repoConfig, type RepoArgs } from '../config/settings.js';
import { appendStepSummary, parseFormats, renderReports, REPORT_FORMATS, writeReports } from '../reports.js';

interface SnapshotArgs extends ExportOptionArgs, RepoArgs {
  readonly resources: readonly string[] | undefined;
  readonly branch: string | undefined;
  readonly out: string | undefined;
  readonly format: readonly string[] | undefined;
  readonly commit: boolean;
  readonly allowEmpty: boolean;
  readonly allowMassDelete: boolean;
  readonly rekey: boolean;
  readonly sign: boolean;
  readonly detailedExitcode: boolean;
  readonly lockTimeout: number;
  readonly tenant: string | undefined;
  readonly verbose: boolean;
}

export const snapshotCommand = defineCommand<SnapshotArgs>({
  command: 'snapshot',
  describe: 'Export, normalise, diff against the snapshot at HEAD, commit, and write the change set',
  builder: (yargs) => withExportOptions(withRepoOptions(yargs)
    .option('resources', { type: 'string', array: true, coerce: splitList, describe: `Resources to snapshot, comma-separated [default: the config file's resources, else ${DOCUMENTED_EXPORTS.map((s) => s.resource).join(',')}]` })
    .option('branch', { type: 'string', describe: 'Commit on this branch instead of the checked-out one' })
    .option('out', { type: 'string', describe: 'Directory for the reports (report.md, report.html, report.json) [default: <git dir>/balkan-audit/last-run]' })
    .option('format', { type: 'string', array: true, coerce: splitList, describe: `Reports to write, comma-separated: md (a pull-request body), html (one page for a reviewer), json (the change set) [default: the config file's formats, else ${REPORT_FORMATS.join(',')}]` })
    .option('commit', { type: 'boolean', default: true, describe: 'Commit the snapshot (--no-commit: compare and report only)' })
    .option('allow-empty', { type: 'boolean', default: false, describe: 'Record an evidence commit even when nothing changed' })
    .option('allow-mass-delete', { type: 'boolean', default: false, describe: 'Accept a resource losing more than half of its rows (or all of ≥10)' })
    .option('rekey', { type: 'boolean', default: false, describe: 'Accept a redaction key other than the one the committed snapshot was made with (recorded as one redaction.rekeyed event)' })
    .option('sign', { type: 'boolean', default: false, describe: 'Sign the snapshot commit with the OpenPGP key in env BALKAN_AUDIT_SIGNING_KEY (passphrase: BALKAN_AUDIT_SIGNING_PASSPHRASE)' })
    .option('detailed-exitcode', { type: 'boolean', default: false, describe: 'Exit 2 when something changed, 0 when nothing did, 1 on failure' })
    .option('lock-timeout', { type: 'number', default: 0, describe: 'Seconds to wait for another run on this repository to finish' })
    .option('tenant', { type: 'string', describe: 'Tenant name for commit subjects and reports [env BALKAN_AUDIT_TENANT, else the config file\'s tenant]' })
    .option('verbose', { type: 'boolean', default: false, describe: 'Report how long each stage of each resource took and the memory in use after it' })),
  run: runSnapshot,
});

async function runSnapshot(args: SnapshotArgs, io: CliIo): Promise<number> {
  // Read and validated before anything is exported or written: a bad file stops the night here.
  const { repo, dir, config, settings } = await repoConfig(args, io.cwd);
  const formats = parseFormats(args.format ?? config.formats ?? REPORT_FORMATS);
  checkOptions(args);
  const configured = config.resources ? Object.keys(config.resources) : DOCUMENTED_EXPORTS.map((s) => s.resource);
  const resources = [...new Set(args.resources?.length ? args.resources : configured)];
  for (const name of resources) resolveExport(name);
  const client = exportClientFor(args, io.env, config.baseUrl);
  const signer = await commitSigner(args.sign, io.env);
  const progress = createProgressReporter(io);
  const trap = trapSignals();
  try {
    const result = await runNightly({
      repo,
      snapshotDir: dir,
      branch: args.branch,
      resources,
      resourceSettings: settings.resource,
      rules: settings.rules,
      client,
      campaigns: settings.campaigns(args),
      redactionKey: { env: io.env },
      rekey: args.rekey,
      commit: args.commit,
      allowEmpty: args.allowEmpty,
      allowMassDelete: args.allowMassDelete,
      lockTimeoutMs: args.lockTimeout * 1000,
      tenant: args.tenant ?? io.env.BALKAN_AUDIT_TENANT ?? config.tenant ?? null,
      author: io.env.BALKAN_AUDIT_AUTHOR_NAME || io.env.BALKAN_AUDIT_AUTHOR_EMAIL ? resolveAuthor(io.env) : undefined,
      signer,
      concurrency: args.concurrency,
      version: VERSION,
      signal: trap.signal,
      onKey: (key) => { if (key.source === 'created') writeLine(io.stderr, CREATED_KEY_NOTE); },
      onProgress: exportProgressHandler(progress),
      onResource: (outcome) => progress.finish(outcome.resource, describeOutcome(outcome)),
      onStage: args.verbose ? (resource, stage, ms, rss) => progress.note(resource, `${stage} in ${formatSeconds(ms)} s (RSS ${formatBytes(rss)})`) : undefined,
    });
    progress.close();
    const reports = renderReports(result.changeSet, formats);
    const written = await writeReports(reports, { out: args.out === undefined ? null : resolve(io.cwd, args.out), store: result.store });
    await appendStepSummary(io.env, result.changeSet, reports);
    writeLine(io.stdout, formatNightlySummary(result.changeSet));
    writeLine(io.stdout, '');
    writeLine(io.stdout, commitLine(result, { ...args, dir }, signer));
    for (const file of written) writeLine(io.stdout, `report: ${file}`);
    const stopped = trap.exitCode();
    if (stopped !== null) return stopped;
    if (result.failed.length > 0) return 1;
    return args.detailedExitcode && result.changed ? 2 : 0;
  } catch (error) {
    const stopped = trap.exitCode();
    if (stopped === null) throw error;
    progress.close();
    const why = isBalkanAuditError(error) ? error.message : 'nothing was committed; the last snapshot is intact';
    writeLine(io.stderr, `balkan-audit: stopped by ${trap.received()}: ${why}`);
    return stopped;
  } finally {
    trap.dispose();
    progress.close();
  }
}

const CREATED_KEY_NOTE = 'note: created this repository\'s redaction key in .git/balkan-audit/redaction-key (never committed). Back it up with your secrets: without it, later runs cannot match the snapshots\' fingerprints.';

function commitLine(result: NightlyResult, args: Pick<SnapshotArgs, 'commit'> & { dir: string }, signer: CommitSigner | undefined): string {
  if (result.commit) return `committed ${result.commit.slice(0, 12)} (${args.dir}/)${signer ? `, signed with key ${signer.fingerprint}` : ''}`;
  if (!args.commit) return 'not committed (--no-commit)';
  if (result.outcomes.every((o) => o.change.status === 'failed')) return 'no resource produced a snapshot: no commit';
  return 'nothing changed: no commit';
}

function checkOptions(args: SnapshotArgs): void {
  if (!Number.isFinite(args.lockTimeout) || args.lockTimeout < 0) {
    throw new CliError('CLI_INVALID_OPTION', `--lock-timeout must be a number of seconds ≥ 0, received ${String(args.lockTimeout)}`);
  }
}
