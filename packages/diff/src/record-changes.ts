import { splitRecord, type CanonicalTable } from '@balkan-audit/schema';
import { diffTables, type DiffOptions } from './diff-tables.js';
import { decodeRecord } from './_records.js';
import type { FieldChange } from './types.js';

/** What happened to a record in one commit of its history. */
export type HistoryEvent = 'added' | 'changed' | 'removed' | 'readded';

/** One entry of a record's history (`balkan-audit history RESOURCE ID --format json`). */
export interface HistoryEntry {
  readonly commit: string;
  /** The commit's author date, ISO 8601 in UTC. */
  readonly date: string;
  readonly event: HistoryEvent;
  /**
   * `changed`: each field's change, JSON paths included. `added` / `readded`: the record's
   * values as they arrived (op `added`); `removed`: its last values (op `removed`).
   */
  readonly changes: readonly FieldChange[];
}

/** Every change to one record across the snapshot history, newest first. */
export interface RecordHistory {
  readonly resource: string;
  /** The record's key in display form (`formatKey`): `4`, `01TENANT/zoom`. */
  readonly id: string;
  readonly entries: readonly HistoryEntry[];
}

/** What one commit did to a record, before it is named `added` or `readded` (which needs its past). */
export interface RecordTransition {
  readonly kind: 'appeared' | 'removed' | 'changed';
  readonly changes: readonly FieldChange[];
}

/**
 * `volatile` and `ignore` as `diffTables` takes them (a configuration file's): a change in an
 * ignored column is no change; a volatile column's is flagged, its values too.
 */
export interface RecordChangesOptions extends Pick<DiffOptions, 'volatile' | 'ignore'> {
  /** Whether both versions' secret fingerprints come from one redaction key (see `DiffOptions`). @default true */
  readonly comparableFingerprints?: boolean;
}

/**
 * What changed for one record from one version of its resource's file to the next. Each side is
 * a table of that file holding the record or not (null: no file). Pure.
 *
 * Fields compare as `diffTables` compares them, on the columns both versions have: a column added
 * to the export (which rewrites every line) makes no change by itself. A column that appears with a
 * value for this record is a field `added` with that value, one that disappears while it held a
 * value a field `removed`; an empty cell in such a column is no change. Null: no entry (absent on
 * both sides, or nothing changed).
 */
export function recordChanges(before: CanonicalTable | null, after: CanonicalTable | null, options: RecordChangesOptions = {}): RecordTransition | null {
  const was = present(before);
  const is = present(after);
  if (was === null && is === null) return null;
  const volatile = new Set(options.volatile ?? []);
  if (was === null) return { kind: 'appeared', changes: valuesOf(is!, 'added', volatile) };
  if (is === null) return { kind: 'removed', changes: valuesOf(was, 'removed', volatile) };
  // Most commits of a history leave the record alone: the same line under the same header.
  if (was.rows[0]!.line === is.rows[0]!.line && sameColumns(was, is)) return null;
  const change = diffTables(was, is, { comparableFingerprints: options.comparableFingerprints ?? true, volatile: options.volatile, ignore: options.ignore });
  const { addedColumns, removedColumns } = change.schemaChanges;
  const changes = [
    ...(change.changed[0]?.changes ?? []),
    ...(addedColumns.length === 0 ? [] : valuesOf(is, 'added', volatile).filter((c) => addedColumns.includes(c.field))),
    ...(removedColumns.length === 0 ? [] : valuesOf(was, 'removed', volatile).filter((c) => removedColumns.includes(c.field))),
  ];
  return changes.length === 0 ? null : { kind: 'changed', changes };
}

function sameColumns(a: CanonicalTable, b: CanonicalTable): boolean {
  return a.columns.length === b.columns.length && a.columns.every((c, i) => c.name === b.columns[i]!.name);
}

/** The table when it holds exactly one row (the record), else null. */
function present(table: CanonicalTable | null): CanonicalTable | null {
  return table !== null && table.rows.length === 1 ? table : null;
}

/**
 * The record's non-empty values as whole-field changes, in column order, typed as the change set
 * types them (an ignored column's too, as a change set's added record holds every column).
 */
function valuesOf(table: CanonicalTable, op: 'added' | 'removed', volatile: ReadonlySet<string>): FieldChange[] {
  const record = decodeRecord(table.columns, splitRecord(table.rows[0]!.line));
  return table.columns.flatMap((column): FieldChange[] => {
    const value = record[column.name] ?? null;
    if (value === null) return [];
    return [{ field: column.name, path: [], op, before: op === 'added' ? null : value, after: op === 'added' ? value : null, volatile: column.volatile || volatile.has(column.name) }];
  });
}
