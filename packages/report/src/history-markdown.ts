import type { FieldChange, RecordHistory, Severity } from '@balkan-audit/diff';
import { counted, day, formatCount, SEVERITIES, tidy } from './_format.js';
import { markdownTemplate } from './_handlebars.js';
import type { MarkdownTarget } from './markdown.js';
import { changeText, fieldPath, valueText } from './_values.js';

/** What a history was read from, for the line under its title. */
export interface HistoryScope {
  /** The branch whose first-parent history was read. */
  readonly branch: string;
  /** The snapshot file, e.g. `snapshots/integrations.csv`. */
  readonly file: string;
  /** Commits read: those that changed `file` (with `since` or `limit`, only as far as needed). */
  readonly read: number;
  /** `--since` as given, or null. */
  readonly since: string | null;
  /** `--limit`, or null. */
  readonly limit: number | null;
  /** Where it is read (see `MarkdownOptions.target`). @default 'github' */
  readonly target?: MarkdownTarget;
}

export interface RecordHistoryMarkdownOptions extends HistoryScope {
  /** The record's name (its resource's name column), shown after its id. */
  readonly name?: string | null;
}

/** The nights that changed one resource (`balkan-audit history RESOURCE --format json`). */
export interface NightList {
  readonly resource: string;
  /** Newest first. */
  readonly nights: readonly Night[];
}

/** One commit that changed the resource's file, with what its `Balkan-Audit-Changes` trailer says. */
export interface Night {
  readonly commit: string;
  /** The commit's author date, ISO 8601 in UTC. */
  readonly date: string;
  /** A merge: the nights it brought in, as one change of the first-parent line. */
  readonly merge: boolean;
  /** Records added, removed and changed; null for a baseline or without a trailer. */
  readonly counts: { readonly added: number; readonly removed: number; readonly changed: number } | null;
  /** The rows of a baseline (first snapshot); null otherwise. */
  readonly baseline: number | null;
  /** Events by severity; null without a trailer. */
  readonly events: Readonly<Record<Severity, number>> | null;
}

interface EntryView {
  readonly day: string;
  readonly event: string;
  readonly commit: string;
  readonly column: string;
  readonly rows: readonly { readonly field: string; readonly text: string }[];
}

const recordTemplate = markdownTemplate<{ title: string; scope: string; quiet: string; entries: readonly EntryView[] }>('history.hbs');
const nightsTemplate = markdownTemplate<{ title: string; scope: string; resource: string; rows: readonly NightRow[]; unknown: string | null }>('history-nights.hbs');

interface NightRow {
  readonly day: string;
  readonly commit: string;
  readonly cells: readonly string[];
}

/**
 * A record's history as Markdown, for a terminal or a pull request: a title (resource, id,
 * name), what was read, then one section per entry, newest first, with a table of its field
 * changes (`changed`) or of the record's values (`added`, `readded`, `removed`). Record data is
 * escaped into inert text; secret fingerprints show as `[redacted]`.
 *
 * @example renderRecordHistory(history, { name: 'Okta', branch: 'main', file: 'snapshots/integrations.csv', read: 365, since: null, limit: null })
 */
export function renderRecordHistory(history: RecordHistory, options: RecordHistoryMarkdownOptions): string {
  const entries = history.entries.map((entry): EntryView => ({
    day: day(entry.date),
    event: entry.event,
    commit: entry.commit,
    column: entry.event === 'changed' ? 'change' : 'value',
    rows: entry.changes.map((change) => ({ field: fieldName(change), text: entry.event === 'changed' ? changeText(change) : valueText(entry.event === 'removed' ? change.before : change.after) })),
  }));
  const name = options.name ? ` · ${options.name}` : '';
  const shown = `${counted(entries.length, 'change')}, newest first${sinceText(options)}${options.limit === null ? '' : ` (at most ${formatCount(options.limit)})`}`;
  return tidy(recordTemplate({
    title: `${history.resource} ${history.id}${name}`,
    scope: `${shown} · read ${readText(options)}`,
    quiet: options.since === null ? 'in the commits read' : `since ${options.since}`,
    entries,
  }, options.target ?? 'github'));
}

/**
 * The nights that changed a resource as Markdown: date, commit, the records added, removed and
 * changed and the events by severity, from each commit's `Balkan-Audit-Changes` trailer; a commit
 * without one (a merge, or one made before the trailer or by hand) shows `—`, and a line under the
 * table says how to compute what it changed.
 */
export function renderNightList(list: NightList, options: HistoryScope): string {
  const rows = list.nights.map((night): NightRow => ({
    day: day(night.date),
    commit: night.commit,
    cells: nightCells(night),
  }));
  const unknown = list.nights.filter((n) => n.events === null);
  const merges = unknown.filter((n) => n.merge).length;
  return tidy(nightsTemplate({
    title: `${list.resource}: ${counted(list.nights.length, 'night')}`,
    scope: `Newest first${sinceText(options)}${options.limit === null ? '' : ` (at most ${formatCount(options.limit)})`} · read ${readText(options)}`,
    resource: list.resource,
    rows,
    unknown: unknown.length === 0 ? null : `${counted(unknown.length, 'commit')}${merges > 0 ? ` (${counted(merges, 'merge')})` : ''}`,
  }, options.target ?? 'github'));
}

function nightCells(night: Night): string[] {
  const events = night.events === null ? ['—', '—', '—'] : SEVERITIES.map((s) => formatCount(night.events![s]));
  if (night.counts !== null) return [night.counts.added, night.counts.removed, night.counts.changed].map(formatCount).concat(events);
  if (night.baseline !== null) return [`baseline: ${counted(night.baseline, 'record')}`, '', '', ...events];
  return [night.merge ? 'merge' : '—', '—', '—', ...events];
}

function fieldName(change: FieldChange): string {
  return fieldPath(change.field, change.path) + (change.volatile ? ' (volatile)' : '');
}

function sinceText(scope: HistoryScope): string {
  return scope.since === null ? '' : `, since ${scope.since}`;
}

function readText(scope: HistoryScope): string {
  return `${counted(scope.read, 'commit')} of ${scope.branch} that changed ${scope.file}`;
}
