import { escapeControls } from '@balkan-audit/report';
import { manifestKey, openSnapshotStore, verifySnapshot, type ManifestTrust, type SnapshotStore, type VerifyHistoryResult, type VerifyProblem, type VerifyResult } from '@balkan-audit/store';
import { defineCommand } from '../_command.js';
import { CliError } from '../_errors.js';
import { withRepoOptions } from '../_options.js';
import { writeLine, type CliIo } from '../io.js';
import { repoConfig, type RepoArgs } from '../config/settings.js';
import { existingKey, REDACTION_KEY_ENV, type ResolvedKey } from '../redaction-key.js';
import { PUBLIC_KEY_ENV, signatureVerifier } from '../signing.js';

interface VerifyArgs extends RepoArgs {
  readonly ref: string;
  readonly all: boolean;
  readonly since: string | undefined;
  readonly publicKey: string | undefined;
  readonly json: boolean;
}

export const verifyCommand = defineCommand<VerifyArgs>({
  command: 'verify',
  describe: 'Re-hash the committed snapshots against their manifest and its MAC (--all: every commit in history)',
  builder: (yargs) => withRepoOptions(yargs)
    .option('ref', { type: 'string', default: 'HEAD', describe: 'Commit, branch or tag to verify (with --all: where the walk starts)' })
    .option('all', { type: 'boolean', default: false, describe: 'Verify every commit reachable from --ref that touched the snapshot directory, merged branches included' })
    .option('since', { type: 'string', describe: 'With --all: leave out the commits reachable from this one (as git log SINCE..REF)' })
    .option('public-key', { type: 'string', describe: `With --all: check each snapshot commit's OpenPGP signature against the armored public key(s) in FILE [env ${PUBLIC_KEY_ENV}]` })
    .option('json', { type: 'boolean', default: false, describe: 'Print the result as JSON' }),
  run: runVerify,
});

/** Exit 0 when everything matches, 1 on any problem (a file, a manifest, its MAC, a signature). */
async function runVerify(args: VerifyArgs, io: CliIo): Promise<number> {
  if (!args.all && (args.since !== undefined || args.publicKey !== undefined)) {
    throw new CliError('CLI_INVALID_OPTION', `${args.since !== undefined ? '--since' : '--public-key'} goes with --all: it applies to a walk of history`, { hint: 'add --all' });
  }
  const { repo, dir } = await repoConfig(args, io.cwd);
  const store = await openSnapshotStore({ dir: repo, snapshotDir: dir, init: false });
  const key = await existingKey(store, io.env);
  const macKey = key === null ? null : manifestKey(key.key);
  if (!args.all) {
    const result = await verifySnapshot(store, args.ref, { macKey });
    if (args.json) writeLine(io.stdout, JSON.stringify({ ...result, macKey: key?.source ?? null }, null, 2));
    else printSnapshot(io, store, result, key);
    return result.ok ? 0 : 1;
  }
  const verifier = await signatureVerifier(args.publicKey, io.env, io.cwd);
  const result = await store.verifyHistory({ ref: args.ref, since: args.since, macKey, verifier });
  if (args.json) writeLine(io.stdout, JSON.stringify({ ...result, macKey: key?.source ?? null }, null, 2));
  else printHistory(io, store, result, key);
  return result.ok ? 0 : 1;
}

function printSnapshot(io: CliIo, store: SnapshotStore, result: VerifyResult, key: ResolvedKey | null): void {
  for (const resource of result.verified) writeLine(io.stdout, `ok        ${store.snapshotDir}/${resource}.csv`);
  for (const p of result.problems) {
    writeLine(io.stdout, `${p.kind.padEnd(9)} ${p.path ?? ''}${problemDetail(p)}${p.commit === null ? '' : `, changed by commit ${p.commit.slice(0, 12)}`}`);
  }
  const mac = macLine(result.mac.status, key);
  if (mac !== null) writeLine(io.stdout, `mac       ${store.snapshotDir}/manifest.json ${mac}`);
  writeLine(io.stdout, result.ok
    ? `verified ${result.verified.length} snapshot file(s) at ${result.commit.slice(0, 12)}`
    : `${result.problems.length} problem(s) at ${result.commit.slice(0, 12)}`);
}

function printHistory(io: CliIo, store: SnapshotStore, result: VerifyHistoryResult, key: ResolvedKey | null): void {
  for (const p of result.problems) {
    const subject = p.subject.length > 60 ? `${p.subject.slice(0, 59)}…` : p.subject;
    writeLine(io.stdout, escapeControls(`${p.commit.slice(0, 12)} "${subject}": ${p.kind} ${p.path ?? ''}${problemDetail(p)}`.replace(/ {2,}/g, ' ')));
  }
  const since = result.since === null ? '' : ` since ${result.since.slice(0, 12)}`;
  writeLine(io.stdout, `verified ${result.commits} commit(s) that touched ${store.snapshotDir}/, from ${result.tip.slice(0, 12)}${since}: ${result.problems.length === 0 ? 'no problem' : `${result.problems.length} problem(s)`}`);
  if (result.shallowEdge.length > 0) {
    writeLine(io.stdout, `shallow clone: history before ${result.shallowEdge.map((oid) => oid.slice(0, 12)).join(', ')} is not here and was not verified (git fetch --unshallow)`);
  }
  writeLine(io.stdout, `MAC: ${macSummary(result.macs, key)}`);
  writeLine(io.stdout, result.signatures === null
    ? `signatures: not checked (give --public-key FILE or ${PUBLIC_KEY_ENV})`
    : `signatures: ${result.signatures.good} good, from key ${result.signatures.fingerprints.join(', ')}`);
}

/** What follows a problem's path: the hashes of a mismatch, the words of the others. */
function problemDetail(p: Pick<VerifyProblem, 'kind' | 'expected' | 'actual' | 'detail'>): string {
  if (p.kind === 'mismatch') return ` (manifest ${p.expected?.slice(0, 12) ?? 'none'}, file ${p.actual?.slice(0, 12) ?? 'none'})`;
  if (p.kind === 'corrupt') return ` (object ${p.expected?.slice(0, 12) ?? ''} does not hash to its id)`;
  return p.detail === undefined ? '' : ` (${p.detail})`;
}

const NO_KEY = `no redaction key: set ${REDACTION_KEY_ENV}, or run where the repository's .git/balkan-audit/redaction-key is`;

/** The MAC status of one manifest, in words; null for a failure (it is listed as a problem). */
function macLine(status: ManifestTrust['status'], key: ResolvedKey | null): string | null {
  switch (status) {
    case 'valid': return `MAC valid (key from ${key?.source === 'env' ? REDACTION_KEY_ENV : 'the repository'})`;
    case 'unchecked': return `MAC not checked: ${NO_KEY}`;
    case 'absent': return 'has no MAC (written before MACs were; the next night adds one)';
    case 'other-key': return 'MAC not checked: the manifest was made with another redaction key (before a --rekey)';
    default: return null;
  }
}

function macSummary(macs: VerifyHistoryResult['macs'], key: ResolvedKey | null): string {
  const parts = [
    [macs.valid, 'valid'], [macs.invalid, 'invalid'], [macs.stripped, 'stripped'], [macs.absent, 'written before MACs'],
    [macs['other-key'], 'made with another redaction key (not checked)'], [macs.unchecked, 'not checked'],
  ].filter(([n]) => n !== 0).map(([n, what]) => `${n} ${what}`);
  const summary = parts.length === 0 ? 'no manifest' : parts.join(', ');
  return key === null && macs.unchecked > 0 ? `${summary} (${NO_KEY})` : summary;
}
