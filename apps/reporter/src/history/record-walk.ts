import { recordChanges, type HistoryEntry, type RecordChangesOptions, type RecordTransition } from '@balkan-audit/diff';
import { isFingerprint, type CanonicalTable } from '@balkan-audit/schema';
import type { CommitInfo } from '@balkan-audit/store';

/** The record as one commit left it: a table of the file holding it or not (null: no file). */
export interface RecordVersion {
  readonly commit: CommitInfo;
  readonly table: CanonicalTable | null;
  /** Whether what this commit did to the record is asked for (`--since`). The range is a prefix. */
  readonly inRange: boolean;
}

export interface WalkOptions {
  /** Entries at most, newest first. @default Infinity */
  readonly limit?: number;
  /**
   * Whether `commit` and its first parent fingerprinted secrets with one redaction key; asked only
   * for an entry where a fingerprint was replaced by another.
   */
  readonly sameRedactionKey?: (commit: CommitInfo) => Promise<boolean>;
  /** The configuration file's `volatile` and `ignore` for the resource, as the nightly diff takes them. */
  readonly columns?: Pick<RecordChangesOptions, 'volatile' | 'ignore'>;
}

export interface RecordWalk {
  readonly entries: HistoryEntry[];
  /** Whether any version read holds the record (false after the whole history: it never existed). */
  readonly seen: boolean;
  /** The newest version read that holds the record (its name for a title). */
  readonly latest: CanonicalTable | null;
  /** Versions (commits) read. */
  readonly read: number;
}

/**
 * A record's history from its versions, newest first: each commit compared with the one before it
 * (the next version; the last is compared with nothing). A record's first appearance is `added`,
 * one after a removal `readded`, which needs its past: the walk reads on past `--since` and
 * `--limit` only as far as it must to tell the two apart, or to know whether the record ever
 * existed. Pure but for the versions it pulls.
 */
export async function walkRecordHistory(versions: AsyncIterable<RecordVersion>, options: WalkOptions = {}): Promise<RecordWalk> {
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const pending: Array<{ entry: MutableEntry; index: number }> = [];
  const entries: MutableEntry[] = [];
  let newer: RecordVersion | null = null;
  let latest: CanonicalTable | null = null;
  let index = -1;
  /** The oldest version read so far that holds the record. */
  let oldestPresent = -1;
  let exhausted = true;
  const emit = async (older: CanonicalTable | null, version: RecordVersion, at: number): Promise<void> => {
    if (!version.inRange || entries.length >= limit) return;
    const transition = await changesOf(older, version, options);
    if (transition === null) return;
    const entry: MutableEntry = { commit: version.commit.oid, date: version.commit.date, event: eventOf(transition.kind), changes: transition.changes };
    entries.push(entry);
    if (transition.kind === 'appeared') pending.push({ entry, index: at });
  };
  for await (const version of versions) {
    index++;
    if (holds(version.table)) {
      oldestPresent = index;
      latest ??= version.table;
    }
    if (newer !== null) await emit(version.table, newer, index - 1);
    newer = version;
    // An appearance is a re-addition once an older version holds the record.
    const undecided = pending.some((p) => p.index >= oldestPresent);
    if (!(version.inRange && entries.length < limit) && !undecided && oldestPresent !== -1) {
      exhausted = false;
      break;
    }
  }
  if (exhausted && newer !== null) await emit(null, newer, index);
  for (const { entry, index: at } of pending) entry.event = oldestPresent > at ? 'readded' : 'added';
  return { entries, seen: oldestPresent !== -1, latest, read: index + 1 };
}

type MutableEntry = { -readonly [K in keyof HistoryEntry]: HistoryEntry[K] };

function holds(table: CanonicalTable | null): table is CanonicalTable {
  return table !== null && table.rows.length === 1;
}

function eventOf(kind: RecordTransition['kind']): HistoryEntry['event'] {
  return kind === 'appeared' ? 'added' : kind;
}

/** The transition, with fingerprints marked not comparable when the commit changed the redaction key. */
async function changesOf(older: CanonicalTable | null, version: RecordVersion, options: WalkOptions): Promise<RecordTransition | null> {
  const columns = options.columns ?? {};
  const transition = recordChanges(older, version.table, columns);
  const fingerprint = (value: unknown): boolean => typeof value === 'string' && isFingerprint(value);
  const rekeyable = transition?.changes.some((c) => fingerprint(c.before) && fingerprint(c.after)) ?? false;
  if (!rekeyable || options.sameRedactionKey === undefined || await options.sameRedactionKey(version.commit)) return transition;
  return recordChanges(older, version.table, { ...columns, comparableFingerprints: false });
}
