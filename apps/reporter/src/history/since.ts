import type { CommitInfo, SnapshotStore } from '@balkan-audit/store';
import { isBalkanAuditError } from '@balkan-audit/errors';
import { CliError } from '../_errors.js';

/** `--since`: a day or a moment (UTC unless it says otherwise), or any revision. */
export type Since = { readonly date: string } | { readonly ref: string };

/**
 * `2026-01-01` (midnight UTC) or an ISO timestamp is a date; anything else is a revision (a
 * branch, tag or commit). Pure.
 */
export function parseSince(value: string): Since {
  const text = value.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return { date: checkedDate(`${text}T00:00:00.000Z`, value) };
  if (/^\d{4}-\d{2}-\d{2}T/.test(text)) return { date: checkedDate(text, value) };
  if (text === '') throw new CliError('CLI_INVALID_OPTION', '--since is empty; give a date (2026-01-01) or a commit, branch or tag');
  return { ref: text };
}

function checkedDate(iso: string, given: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time) || !new Date(time).toISOString().startsWith(iso.slice(0, 10))) {
    throw new CliError('CLI_INVALID_OPTION', `--since ${JSON.stringify(given.slice(0, 40))} is not a valid date; expected YYYY-MM-DD or an ISO 8601 timestamp`);
  }
  return new Date(time).toISOString();
}

/**
 * Which of the resource's revisions are in range: from a date, those authored at or after it; from
 * a revision, those not reachable from it (as `git log REF.. -- FILE`, merged branches included).
 */
export async function sinceRange(store: SnapshotStore, resource: string, since: Since | null): Promise<(commit: CommitInfo) => boolean> {
  if (since === null) return () => true;
  if ('date' in since) return (commit) => commit.date >= since.date;
  const before = new Set<string>();
  try {
    for await (const revision of store.revisions(resource, { ref: since.ref })) before.add(revision.commit.oid);
  } catch (error) {
    if (!(isBalkanAuditError(error) && error.code === 'STORE_BAD_REF')) throw error;
    throw new CliError('CLI_INVALID_OPTION', `--since ${JSON.stringify(since.ref.slice(0, 40))} is neither a date nor a revision of the repository`, {
      hint: 'give a day (2026-01-01), an ISO 8601 timestamp, or a commit, branch or tag', cause: error,
    });
  }
  return (commit) => !before.has(commit.oid);
}
