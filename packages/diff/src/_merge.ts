import { compareKeys, formatKey, isFingerprint, splitRecord, type ColumnSchema, type ResourceSchema } from '@balkan-audit/schema';
import { changeEvents, recordEvent, type EventContext } from './_classify.js';
import { diffCell } from './_fields.js';
import { decodeRecord, recordView } from './_records.js';
import { fillTemplate } from './_summary.js';
import { rulesFor, type EventRuleTable } from './rules.js';
import type { AuditEvent, FieldChange, RecordChange, RecordEntry, ResourceChange } from './types.js';

/** Rows of one side, by index, in key order. */
export interface RowSource {
  readonly length: number;
  key(index: number): string;
  line(index: number): string;
}

export interface DiffSide {
  readonly schema: ResourceSchema;
  readonly columns: readonly ColumnSchema[];
  readonly rows: RowSource;
}

export interface DiffOptionsResolved {
  readonly rules: EventRuleTable;
  readonly maxRecordsInReport: number;
  readonly comparableFingerprints: boolean;
  /** Flagged volatile besides the schema's volatile columns. */
  readonly volatileColumns: ReadonlySet<string>;
  /** Never compared (kept in the snapshot). */
  readonly ignoredColumns: ReadonlySet<string>;
}

/** True when row `i` of before and row `j` of after have the same canonical text. */
export type SameLine = (i: number, j: number) => boolean;

/**
 * Merge-joins two key-sorted sides. Rows whose text is equal are unchanged without being split;
 * only differing rows are split into cells, and only differing cells are decoded and compared.
 */
export function diffSides(before: DiffSide, after: DiffSide, options: DiffOptionsResolved, sameLine: SameLine): ResourceChange {
  const schema = after.schema;
  const rules = rulesFor(options.rules, schema.resource);
  const shape = columnShape(before.columns, after.columns, options);
  const cap = options.maxRecordsInReport;
  const added: RecordEntry[] = [];
  const removed: RecordEntry[] = [];
  const changed: RecordChange[] = [];
  const events: AuditEvent[] = [];
  const counts = { before: before.rows.length, after: after.rows.length, added: 0, removed: 0, changed: 0, unchanged: 0 };
  if (shape.addedColumns.length + shape.removedColumns.length > 0) events.push(driftEvent(options.rules, schema, shape));

  const side = (which: DiffSide, index: number, list: RecordEntry[], isAdded: boolean): void => {
    const key = which.rows.key(index);
    const id = formatKey(key);
    const cells = splitRecord(which.rows.line(index));
    if (list.length < cap) list.push({ id, record: decodeRecord(which.columns, cells) });
    const view = recordView(which.columns, cells);
    const context: EventContext = { schema, rules, id, before: isAdded ? null : view, after: isAdded ? view : null };
    events.push(recordEvent(context, isAdded ? rules.added : rules.removed));
  };

  let i = 0;
  let j = 0;
  const nb = before.rows.length;
  const na = after.rows.length;
  while (i < nb || j < na) {
    const order = i >= nb ? 1 : j >= na ? -1 : compareKeys(before.rows.key(i), after.rows.key(j));
    if (order < 0) {
      counts.removed++;
      side(before, i++, removed, false);
    } else if (order > 0) {
      counts.added++;
      side(after, j++, added, true);
    } else {
      if (shape.identical && sameLine(i, j)) {
        counts.unchanged++;
      } else {
        const bCells = splitRecord(before.rows.line(i));
        const aCells = splitRecord(after.rows.line(j));
        const changes = rowChanges(shape, bCells, aCells, options.comparableFingerprints);
        if (changes.length === 0) {
          counts.unchanged++;
        } else {
          counts.changed++;
          const id = formatKey(after.rows.key(j));
          if (changed.length < cap) changed.push({ id, changes });
          const context: EventContext = {
            schema, rules, id, before: recordView(before.columns, bCells), after: recordView(after.columns, aCells),
          };
          for (const e of changeEvents(context, changes)) events.push(e);
        }
      }
      i++;
      j++;
    }
  }
  const off = new Set(options.rules.off ?? []);
  return {
    resource: schema.resource,
    status: 'compared',
    counts,
    schemaChanges: { addedColumns: shape.addedColumns, removedColumns: shape.removedColumns },
    added,
    removed,
    changed,
    events: off.size === 0 ? events : events.filter((e) => !off.has(e.kind)),
  };
}

interface ColumnShape {
  /** Same column names in the same order: whole lines can be compared. */
  readonly identical: boolean;
  /** Shared columns in after's order (ignored ones left out), with their index on each side. */
  readonly shared: ReadonlyArray<{ readonly column: ColumnSchema; readonly before: number; readonly after: number }>;
  readonly addedColumns: readonly string[];
  readonly removedColumns: readonly string[];
}

function columnShape(before: readonly ColumnSchema[], after: readonly ColumnSchema[], options: DiffOptionsResolved): ColumnShape {
  const { ignoredColumns: ignored, volatileColumns: volatile } = options;
  const beforeIndex = new Map(before.map((c, i) => [c.name, i]));
  const afterNames = new Set(after.map((c) => c.name));
  const shared = after.flatMap((column, index) => {
    const b = beforeIndex.get(column.name);
    if (b === undefined || ignored.has(column.name)) return [];
    return [{ column: volatile.has(column.name) && !column.volatile ? { ...column, volatile: true } : column, before: b, after: index }];
  });
  return {
    identical: before.length === after.length && before.every((c, i) => c.name === after[i]!.name),
    shared,
    addedColumns: after.filter((c) => !beforeIndex.has(c.name) && !ignored.has(c.name)).map((c) => c.name),
    removedColumns: before.filter((c) => !afterNames.has(c.name) && !ignored.has(c.name)).map((c) => c.name),
  };
}

/** Changes on the shared columns, in column order then path order. */
function rowChanges(shape: ColumnShape, before: readonly string[], after: readonly string[], comparableFingerprints: boolean): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const { column, before: b, after: a } of shape.shared) {
    const beforeText = before[b] ?? '';
    const afterText = after[a] ?? '';
    if (beforeText === afterText) continue;
    for (const change of diffCell(column, beforeText, afterText)) {
      changes.push(comparableFingerprints || !isFingerprintPair(change) ? change : { ...change, comparable: false });
    }
  }
  return changes;
}

/** One fingerprint replaced by another: the same secret under another key, or a rotation. */
function isFingerprintPair(change: FieldChange): boolean {
  return typeof change.before === 'string' && isFingerprint(change.before) && typeof change.after === 'string' && isFingerprint(change.after);
}

function driftEvent(table: EventRuleTable, schema: ResourceSchema, shape: ColumnShape): AuditEvent {
  const parts = [
    shape.addedColumns.length > 0 ? `added ${shape.addedColumns.join(', ')}` : '',
    shape.removedColumns.length > 0 ? `removed ${shape.removedColumns.join(', ')}` : '',
  ].filter(Boolean);
  const template = table.schemaDrift;
  return {
    severity: template.severity,
    kind: template.kind,
    id: null,
    summary: fillTemplate(template.summary, { resource: schema.resource, label: schema.label, columnChanges: parts.join('; ') }),
  };
}
