import type { AuditEvent, ChangeSet, ResourceChange, Severity } from '@balkan-audit/diff';

export const SEVERITIES: readonly Severity[] = ['high', 'medium', 'low'];

export const SEVERITY_TITLE: Readonly<Record<Severity, string>> = { high: 'High', medium: 'Medium', low: 'Low' };

/** `18400` → `18,400`, without depending on the runtime's locale data. */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `1 record`, `2 records`, `18,400 records`. */
export function counted(n: number, noun: string): string {
  return `${formatCount(n)} ${noun}${n === 1 ? '' : 's'}`;
}

/** The calendar day (UTC) of an ISO timestamp: `2026-11-22`. */
export function day(iso: string): string {
  return /^\d{4}-\d{2}-\d{2}/.test(iso) ? iso.slice(0, 10) : iso;
}

/** A commit id as reports show it: its first 12 hex digits; anything else is not a commit id. */
export function shortCommit(commit: string | null): string | null {
  return commit !== null && /^[0-9a-f]{7,64}$/i.test(commit) ? commit.slice(0, 12).toLowerCase() : null;
}

/** Events of one resource (or of all) by severity, in the change set's order. */
export function eventsBySeverity(events: readonly AuditEvent[]): Record<Severity, AuditEvent[]> {
  const groups: Record<Severity, AuditEvent[]> = { high: [], medium: [], low: [] };
  for (const event of events) (groups[event.severity] ?? groups.low).push(event);
  return groups;
}

/** The default headline: `acme: 2026-11-21 → 2026-11-22`, `acme: first snapshot 2026-11-22`. */
export function defaultTitle(changeSet: ChangeSet): string {
  const who = changeSet.tenant ?? 'balkan-audit';
  const to = day(changeSet.to.date);
  return changeSet.from ? `${who}: ${day(changeSet.from.date)} → ${to}` : `${who}: first snapshot ${to}`;
}

/** What a failed resource left in the audit repository: its previous snapshot, or none yet. */
export function failureOutcome(change: ResourceChange): 'no snapshot yet' | 'previous snapshot kept' {
  // `keptPrevious` says it; a change set written before it existed only has the row count.
  const kept = change.keptPrevious ?? change.counts.before > 0;
  return kept ? 'previous snapshot kept' : 'no snapshot yet';
}

/** Markdown with one blank line between blocks and one line feed at the end. */
export function tidy(markdown: string): string {
  return `${markdown.replace(/\n{3,}/g, '\n\n').trim()}\n`;
}
