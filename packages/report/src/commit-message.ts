import type { ChangeSet, ResourceChange } from '@balkan-audit/diff';
import { changeTrailers } from './commit-trailers.js';
import { counted, eventsBySeverity, failureOutcome, formatCount, SEVERITIES, SEVERITY_TITLE } from './_format.js';
import { lazyTemplate } from './_handlebars.js';
import { truncate } from './_values.js';

export interface CommitMessageOptions {
  /** The tenant named in the subject, or null. */
  readonly tenant: string | null;
  /** When the run started: the subject's date (UTC) and the `Balkan-Audit-Run` trailer. */
  readonly runAt: Date;
  /** The balkan-audit version, for the `Balkan-Audit-Version` trailer. */
  readonly version: string;
  /**
   * Event lines in the body at most, shared by the groups in severity order; each group that
   * loses lines ends with `- … and N more`.
   * @default 200
   */
  readonly maxEvents?: number;
}

interface CommitMessageView {
  readonly subject: string;
  readonly groups: readonly { readonly title: string; readonly events: readonly string[]; readonly more: number }[];
  readonly failed: readonly { readonly resource: string; readonly code: string; readonly message: string; readonly kept: string }[];
  readonly changes: readonly string[];
  readonly runAt: string;
  readonly version: string;
}

const template = lazyTemplate<CommitMessageView>('text', 'commit-message.hbs');
const MAX_MESSAGE = 300;

/**
 * The snapshot commit's message. Subject: `snapshot acme 2026-11-22: integrations +1 ~5 records,
 * +1 column; apps -1 record; labels baseline (5 records); campaigns failed` (`no change` when
 * nothing changed). Body: every event under High / Medium / Low headings (capped by `maxEvents`),
 * then the failed resources with their error code and message. Trailers end it: one
 * `Balkan-Audit-Changes` per resource the night changed (counts and events by severity, read back
 * by `readChangeTrailers` for `history RESOURCE`), `Balkan-Audit-Run` and `Balkan-Audit-Version`. Record-derived text is passed through `escapeControls`, so each
 * item stays on its line and no control or bidi character reaches `git log`.
 *
 * @example
 * renderCommitMessage(changeSet, { tenant: 'acme', runAt: new Date(), version: '0.1.0' })
 */
export function renderCommitMessage(changeSet: ChangeSet, options: CommitMessageOptions): string {
  const date = options.runAt.toISOString().slice(0, 10);
  const parts = changeSet.resources.map(describeResource).filter((part): part is string => part !== null);
  const subject = `snapshot ${options.tenant === null ? '' : `${options.tenant} `}${date}: ${parts.length > 0 ? parts.join('; ') : 'no change'}`;
  let room = options.maxEvents ?? 200;
  const bySeverity = eventsBySeverity([...changeSet.events, ...changeSet.resources.flatMap((r) => r.events)]);
  const groups = SEVERITIES.filter((s) => bySeverity[s].length > 0).map((severity) => {
    const events = bySeverity[severity].slice(0, room).map((e) => e.summary);
    room -= events.length;
    return { title: SEVERITY_TITLE[severity], events, more: bySeverity[severity].length - events.length };
  });
  const failed = changeSet.resources.filter((r) => r.status === 'failed').map((r) => ({
    resource: r.resource,
    code: r.error?.code ?? 'ERROR',
    message: truncate(r.error?.message ?? '', MAX_MESSAGE),
    kept: failureOutcome(r),
  }));
  return template({ subject, groups, failed, changes: changeTrailers(changeSet), runAt: options.runAt.toISOString(), version: options.version });
}

/** `integrations +1 ~5 records, +1 column`, `labels baseline (5 records)`, `campaigns failed`, or null (nothing to say). */
function describeResource(change: ResourceChange): string | null {
  const { counts, schemaChanges } = change;
  switch (change.status) {
    case 'new': return `${change.resource} baseline (${counted(counts.after, 'record')})`;
    case 'failed': return `${change.resource} failed`;
    case 'compared': {
      const records = marks([['+', counts.added], ['-', counts.removed], ['~', counts.changed]], 'record');
      const columns = marks([['+', schemaChanges.addedColumns.length], ['-', schemaChanges.removedColumns.length]], 'column');
      const said = [records, columns].filter((part) => part !== null);
      return said.length > 0 ? `${change.resource} ${said.join(', ')}` : null;
    }
  }
}

/** `+1 ~5 records`, `-1 record`, or null when every count is 0. */
function marks(counts: readonly (readonly [string, number])[], noun: string): string | null {
  const present = counts.filter(([, n]) => n > 0);
  if (present.length === 0) return null;
  const total = present.reduce((sum, [, n]) => sum + n, 0);
  return `${present.map(([sign, n]) => `${sign}${formatCount(n)}`).join(' ')} ${noun}${total === 1 ? '' : 's'}`;
}
