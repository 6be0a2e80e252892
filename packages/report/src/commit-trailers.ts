import { hasChanges, type ChangeSet, type Severity } from '@balkan-audit/diff';
import { eventsBySeverity, SEVERITIES } from './_format.js';

/** The trailer key, one per resource a night changed. */
export const CHANGES_TRAILER = 'Balkan-Audit-Changes';

/** One trailer line: the resource, then `name=count` pairs. */
const TRAILER_LINE = new RegExp(`^${CHANGES_TRAILER}:\\s*(\\S+)((?:\\s+[a-z]+=\\d+)+)\\s*$`);

/** What a snapshot commit's `Balkan-Audit-Changes` trailer says about one resource. */
export interface ChangeTrailer {
  readonly resource: string;
  /** Records added, removed and changed; null for a baseline. */
  readonly counts: { readonly added: number; readonly removed: number; readonly changed: number } | null;
  /** The rows of a baseline (the resource's first snapshot); null otherwise. */
  readonly baseline: number | null;
  readonly events: Readonly<Record<Severity, number>>;
}

/**
 * One trailer value per resource the night changed, for the commit message: `integrations
 * added=1 removed=0 changed=5 high=1 medium=2 low=0`, `labels baseline=5 high=0 medium=0 low=1`.
 * A resource with no change, no event and no column change, or one that failed, has none (its
 * file did not change in the commit).
 */
export function changeTrailers(changeSet: ChangeSet): string[] {
  return changeSet.resources.flatMap((change) => {
    const events = eventsBySeverity(change.events);
    const severities = SEVERITIES.map((s) => `${s}=${events[s].length}`).join(' ');
    if (change.status === 'new') return [`${change.resource} baseline=${change.counts.after} ${severities}`];
    if (change.status !== 'compared' || !(hasChanges(change) || change.events.length > 0)) return [];
    const { added, removed, changed } = change.counts;
    return [`${change.resource} added=${added} removed=${removed} changed=${changed} ${severities}`];
  });
}

/**
 * The `Balkan-Audit-Changes` trailers of a commit message, read from its last paragraph as git
 * reads trailers; a value that does not parse is left out. A commit without them (made before
 * they were written, a merge, a commit by hand) gives [].
 *
 * @example readChangeTrailers(commit.message).find((t) => t.resource === 'integrations')?.counts
 */
export function readChangeTrailers(message: string): ChangeTrailer[] {
  const paragraphs = message.trimEnd().split(/\n[ \t]*\n/);
  const last = paragraphs.length > 1 ? paragraphs[paragraphs.length - 1]! : '';
  const out: ChangeTrailer[] = [];
  for (const line of last.split('\n')) {
    const match = TRAILER_LINE.exec(line);
    if (match === null) continue;
    const values = new Map([...match[2]!.matchAll(/([a-z]+)=(\d+)/g)].map(([, k, v]) => [k!, Number(v)]));
    const count = (k: string): number | null => {
      const n = values.get(k);
      return n !== undefined && Number.isSafeInteger(n) ? n : null;
    };
    const high = count('high');
    const medium = count('medium');
    const low = count('low');
    const added = count('added');
    const removed = count('removed');
    const changed = count('changed');
    const baseline = count('baseline');
    if (high === null || medium === null || low === null) continue;
    const counts = added !== null && removed !== null && changed !== null ? { added, removed, changed } : null;
    if ((counts === null) === (baseline === null)) continue;
    out.push({ resource: match[1]!, counts, baseline, events: { high, medium, low } });
  }
  return out;
}
