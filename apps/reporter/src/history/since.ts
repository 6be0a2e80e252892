import type { CommitInfo, SnapshotStore } from '@balkan-audit/store';
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
 * Which commits of the store's first-parent history are in range: from a date, those authored at
 * or after it; from a revision, those after it on the first-parent line (as `git log --first-parent
 * REF..`), which it must be on.
 */
export async function sinceRange(store: SnapshotStore, since: Since | null): Promise<(commit: CommitInfo) => boolean> {
  if (since === null) return () => true;
  if ('date' in since) return (commit) => commit.date >= since.date;
  const boundary = (await store.resolve(since.ref)).oid;
  const after = new Set<string>();
  for (const commit of await store.log()) {
    if (commit.oid === boundary) return (c) => after.has(c.oid);
    after.add(commit.oid);
  }
  throw new CliError('HISTORY_SINCE_NOT_ON_BRANCH', `--since ${since.ref} (${boundary.slice(0, 12)}) is not on the first-parent history of ${store.branch}`, {
    hint: 'give a date (2026-01-01), or a commit of the branch itself rather than one of a merged branch',
  });
}
