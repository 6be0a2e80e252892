import type { AuditEvent, ChangeSet, RecordChange, RecordEntry, ResourceChange, Severity } from '@balkan-audit/diff';
import { counted, day, eventsBySeverity, failureOutcome, formatCount, SEVERITIES, SEVERITY_TITLE } from './_format.js';
import { changeText, fieldPath, recordText, type FieldChangeLike } from './_values.js';
import type { MarkdownOptionsResolved } from './markdown.js';

/**
 * How much detail the Markdown keeps, from everything down to the summary table alone. Each step
 * leaves out more when the body would not fit in a pull request (GitHub refuses > 65,536 chars).
 */
export const DETAIL_LEVELS = ['full', 'no-low', 'high-only', 'counts', 'table'] as const;
export type DetailLevel = (typeof DETAIL_LEVELS)[number];

/** One end of the change: its commit, or what it is when it is not one (`label`), and its day. */
interface EndView {
  readonly commit: string | null;
  readonly label: string | null;
  readonly day: string;
}

/** What the template lays out; every piece of record-derived text is still raw (helpers escape). */
export interface MarkdownView {
  readonly title: string;
  readonly from: EndView | null;
  readonly to: EndView;
  readonly generatedAt: string;
  readonly high: { readonly count: number; readonly events: readonly string[]; readonly more: number };
  /** Events of the run as a whole (a new redaction key), always listed. */
  readonly runEvents: readonly AuditEvent[];
  readonly pointer: string;
  readonly degraded: string | null;
  readonly rows: readonly SummaryRow[];
  readonly sections: readonly Section[];
}

interface SummaryRow {
  readonly resource: string;
  readonly status: string;
  readonly cells: readonly string[];
  readonly drift: string;
}

interface Section {
  readonly resource: string;
  readonly baseline: string | null;
  readonly failed: { readonly code: string; readonly message: string; readonly kept: string } | null;
  readonly drift: string | null;
  readonly eventGroups: readonly { readonly title: string; readonly total: string; readonly events: readonly AuditEvent[]; readonly more: number }[];
  readonly lowEvents: readonly AuditEvent[];
  readonly tables: readonly RecordTable[];
  readonly volatileOnly: RecordTable | null;
  /** What this section leaves out (`120 events (100 low, 20 medium)`, `18,400 of 20,000 changed records`). */
  readonly hidden: readonly string[];
}

interface RecordTable {
  readonly title: string;
  /** Inside a `<details>` whose summary already says the title. */
  readonly folded: boolean;
  readonly header: readonly string[];
  /** The delimiter row, e.g. `|:--|:--|`. */
  readonly delimiter: string;
  readonly rows: readonly (readonly string[])[];
}

const HIGH_IN_CALLOUT = 10;

/** Which severities keep their details at each level (records without events count as low). */
const KEEP: Readonly<Record<DetailLevel, readonly Severity[]>> = {
  full: SEVERITIES, 'no-low': ['high', 'medium'], 'high-only': ['high'], counts: [], table: [],
};

/**
 * The view at `level`, listing at most `cap` records per table and events per severity of each
 * resource (what is cut is said in the section's `hidden`).
 */
export function markdownView(changeSet: ChangeSet, level: DetailLevel, options: MarkdownOptionsResolved, cap = Number.POSITIVE_INFINITY): MarkdownView {
  const { title, pointer, sources } = options;
  const high = [...changeSet.events, ...changeSet.resources.flatMap((r) => r.events)].filter((e) => e.severity === 'high');
  const sections = level === 'table' ? [] : changeSet.resources.map((r) => section(r, level, cap)).filter(hasContent);
  return {
    title,
    from: changeSet.from ? { commit: changeSet.from.commit, label: sources?.from ?? null, day: day(changeSet.from.date) } : null,
    to: { commit: changeSet.to.commit, label: sources?.to ?? null, day: day(changeSet.to.date) },
    generatedAt: changeSet.generatedAt,
    high: { count: high.length, events: high.slice(0, HIGH_IN_CALLOUT).map((e) => e.summary), more: Math.max(0, high.length - HIGH_IN_CALLOUT) },
    runEvents: changeSet.events,
    pointer,
    degraded: degradedNote(level),
    rows: changeSet.resources.map(summaryRow),
    sections,
  };
}

function degradedNote(level: DetailLevel): string | null {
  switch (level) {
    case 'full': return null;
    case 'no-low': return 'Low-severity events and changes are left out to fit a pull request';
    case 'high-only': return 'Only high-severity events and changes are listed, to fit a pull request';
    case 'counts': return 'Only counts are listed, to fit a pull request';
    case 'table': return 'Only the summary table fits in a pull request';
  }
}

function summaryRow(change: ResourceChange): SummaryRow {
  const { counts } = change;
  const bySeverity = eventsBySeverity(change.events);
  const events = SEVERITIES.map((s) => formatCount(bySeverity[s].length));
  const records = change.status === 'compared' ? [counts.added, counts.removed, counts.changed].map(formatCount) : ['—', '—', '—'];
  return {
    resource: change.resource,
    status: change.status === 'new' ? `new (${counted(counts.after, 'record')})` : change.status,
    cells: [...records, ...events],
    drift: driftText(change) ?? '—',
  };
}

function driftText(change: ResourceChange): string | null {
  const { addedColumns, removedColumns } = change.schemaChanges;
  const parts = [...addedColumns.map((c) => `+${c}`), ...removedColumns.map((c) => `−${c}`)];
  return parts.length === 0 ? null : parts.join(', ');
}

function section(change: ResourceChange, level: DetailLevel, cap: number): Section {
  const empty = { baseline: null, failed: null, drift: driftText(change), eventGroups: [], lowEvents: [], tables: [], volatileOnly: null, hidden: [] };
  if (change.status === 'new') return { ...empty, resource: change.resource, baseline: counted(change.counts.after, 'record') };
  if (change.status === 'failed') {
    const error = change.error ?? { code: 'ERROR', message: '' };
    return { ...empty, resource: change.resource, failed: { ...error, kept: failureOutcome(change) } };
  }
  const keep = new Set(KEEP[level]);
  const severityOf = recordSeverities(change.events);
  const kept = (entry: { id: string }): boolean => keep.has(severityOf.get(entry.id) ?? 'low');
  const bySeverity = eventsBySeverity(change.events);
  const volatileOnly = change.changed.filter((r) => r.changes.every((c) => c.volatile)).slice(0, cap);
  const significant = change.changed.filter((r) => !r.changes.every((c) => c.volatile) && kept(r)).slice(0, cap);
  const added = change.added.filter(kept).slice(0, cap);
  const removed = change.removed.filter(kept).slice(0, cap);
  const showVolatile = level === 'full' && volatileOnly.length > 0;

  const tables = [
    entryTable(`Added (${formatCount(change.counts.added)})`, added),
    entryTable(`Removed (${formatCount(change.counts.removed)})`, removed),
    changeTable(`Changed (${formatCount(change.counts.changed)})`, significant),
  ].filter((t): t is RecordTable => t !== null);

  const shownChanged = significant.length + (showVolatile ? volatileOnly.length : 0);
  const hidden = leftOut(change, SEVERITIES.filter((s) => !keep.has(s)), { added: added.length, removed: removed.length, changed: shownChanged });
  return {
    ...empty,
    resource: change.resource,
    eventGroups: SEVERITIES.filter((s) => keep.has(s) && s !== 'low' && bySeverity[s].length > 0).map((s) => ({
      title: SEVERITY_TITLE[s], total: formatCount(bySeverity[s].length), events: bySeverity[s].slice(0, cap), more: Math.max(0, bySeverity[s].length - cap),
    })),
    lowEvents: level === 'full' ? bySeverity.low.slice(0, cap) : [],
    tables,
    volatileOnly: showVolatile ? changeTable(`${counted(volatileOnly.length, 'record')} with volatile changes only`, volatileOnly, true) : null,
    hidden,
  };
}

/** What a section leaves out: `120 events (100 low, 20 medium)`, `18,400 of 20,000 changed records`. */
function leftOut(change: ResourceChange, hiddenSeverities: readonly Severity[], shown: Readonly<Record<'added' | 'removed' | 'changed', number>>): string[] {
  const notes: string[] = [];
  const bySeverity = eventsBySeverity(change.events);
  const events = hiddenSeverities.filter((s) => bySeverity[s].length > 0);
  if (events.length > 0) {
    const total = events.reduce((sum, s) => sum + bySeverity[s].length, 0);
    notes.push(`${counted(total, 'event')} (${events.map((s) => `${formatCount(bySeverity[s].length)} ${s}`).join(', ')})`);
  }
  for (const what of ['added', 'removed', 'changed'] as const) {
    const total = change.counts[what];
    if (total > shown[what]) notes.push(`${formatCount(total - shown[what])} of ${formatCount(total)} ${what} record${total === 1 ? '' : 's'}`);
  }
  return notes;
}

/** An unchanged resource has its row in the summary table and no section. */
function hasContent(section: Section): boolean {
  return section.baseline !== null || section.failed !== null || section.drift !== null || section.eventGroups.length > 0 ||
    section.lowEvents.length > 0 || section.tables.length > 0 || section.volatileOnly !== null || section.hidden.length > 0;
}

/** A record's severity: the highest of its events (records without one are treated as low). */
function recordSeverities(events: readonly AuditEvent[]): Map<string, Severity> {
  const map = new Map<string, Severity>();
  for (const event of events) {
    if (event.id === null) continue;
    const current = map.get(event.id);
    if (current === undefined || SEVERITIES.indexOf(event.severity) < SEVERITIES.indexOf(current)) map.set(event.id, event.severity);
  }
  return map;
}

function entryTable(title: string, entries: readonly RecordEntry[]): RecordTable | null {
  if (entries.length === 0) return null;
  return { title, folded: false, header: ['ID', 'record'], delimiter: '|:--|:--|', rows: entries.map((e) => [e.id, recordText(e.record)]) };
}

function changeTable(title: string, records: readonly RecordChange[], folded = false): RecordTable | null {
  if (records.length === 0) return null;
  const rows = records.flatMap((record) => record.changes.map((change: FieldChangeLike, i) => [
    i === 0 ? record.id : '',
    fieldPath(change.field, change.path),
    changeText(change) + (change.volatile ? ' (volatile)' : ''),
  ]));
  return { title, folded, header: ['ID', 'field', 'change'], delimiter: '|:--|:--|:--|', rows };
}
