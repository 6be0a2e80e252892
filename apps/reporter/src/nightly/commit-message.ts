import type { ChangeSet, ResourceChange } from '@balkan-audit/diff';

export interface CommitMessageInput {
  readonly changeSet: ChangeSet;
  readonly tenant: string | null;
  /** When the run started: the subject's date and the `Balkan-Audit-Run` trailer. */
  readonly runAt: Date;
  readonly version: string;
}

/**
 * The snapshot commit's message: a subject that says what changed
 * (`snapshot acme 2026-11-22: integrations +1 ~2, campaigns ~1`), a body listing high-severity events
 * and failed resources, and trailers a later `git log --grep` or `git interpret-trailers` can read.
 */
export function composeCommitMessage(input: CommitMessageInput): string {
  const { changeSet, runAt } = input;
  const date = runAt.toISOString().slice(0, 10);
  const who = input.tenant ? `snapshot ${input.tenant} ${date}` : `snapshot ${date}`;
  const parts = changeSet.resources.map(describeResource).filter((part): part is string => part !== null);
  const subject = `${who}: ${parts.length > 0 ? parts.join(', ') : 'no change'}`;

  const body: string[] = [];
  const high = changeSet.resources.flatMap((r) => r.events.filter((e) => e.severity === 'high'));
  if (high.length > 0) {
    body.push('High-severity events:');
    for (const event of high.slice(0, 50)) body.push(`- ${event.summary}`);
    if (high.length > 50) body.push(`- … and ${high.length - 50} more`);
  }
  const failed = changeSet.resources.filter((r) => r.status === 'failed');
  if (failed.length > 0) {
    if (body.length > 0) body.push('');
    body.push('Failed (previous snapshot kept):');
    for (const r of failed) body.push(`- ${r.resource}: ${r.error?.code ?? 'ERROR'} ${oneLine(r.error?.message ?? '')}`.trimEnd());
  }

  const trailers = [`Balkan-Audit-Run: ${runAt.toISOString()}`, `Balkan-Audit-Version: ${input.version}`];
  return [subject, '', ...(body.length > 0 ? [...body, ''] : []), ...trailers, ''].join('\n');
}

function describeResource(change: ResourceChange): string | null {
  const { counts } = change;
  switch (change.status) {
    case 'new':
      return `${change.resource} baseline (${counts.after})`;
    case 'failed':
      return `${change.resource} failed`;
    case 'skipped':
      return null;
    case 'compared': {
      const marks = [
        counts.added > 0 ? `+${counts.added}` : '',
        counts.removed > 0 ? `-${counts.removed}` : '',
        counts.changed > 0 ? `~${counts.changed}` : '',
        change.schemaChanges.addedColumns.length + change.schemaChanges.removedColumns.length > 0 ? 'columns' : '',
      ].filter(Boolean);
      return marks.length > 0 ? `${change.resource} ${marks.join(' ')}` : null;
    }
  }
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat;
}
