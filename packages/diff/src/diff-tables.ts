import type { CanonicalTable } from '@balkan-audit/schema';
import { diffSides, type DiffOptionsResolved, type DiffSide } from './_merge.js';
import { fillTemplate } from './_summary.js';
import { DiffError } from './errors.js';
import { DEFAULT_EVENT_RULES, type EventRuleTable } from './rules.js';
import type { ResourceChange } from './types.js';

export interface DiffOptions {
  /** Event rules (from `resolveEventRules`). @default DEFAULT_EVENT_RULES */
  readonly rules?: EventRuleTable;
  /**
   * Keep at most this many entries in each of `added`, `removed` and `changed` (a mass change
   * stays readable); counts and events stay complete.
   * @default Infinity
   */
  readonly maxRecordsInReport?: number;
  /**
   * Whether secret fingerprints on the two sides were made with the same redaction key. When not
   * (a `--rekey` night; a snapshot compared with an export without its repository's key), a
   * fingerprint replaced by another is marked `comparable: false` and raises no event.
   * @default true
   */
  readonly comparableFingerprints?: boolean;
  /**
   * Columns whose changes are recorded but flagged volatile (no headline event), besides the ones
   * the schema marks volatile (an integration's Last Run, …).
   * @default []
   */
  readonly volatile?: readonly string[];
  /**
   * Columns never compared: they stay in the snapshot, but a change in them is no change, no event
   * and, when the column appears or disappears, no schema drift.
   * @default []
   */
  readonly ignore?: readonly string[];
}

/** Fills the defaults of `DiffOptions` once. */
export function resolveDiffOptions(options: DiffOptions = {}): DiffOptionsResolved {
  const max = options.maxRecordsInReport ?? Number.POSITIVE_INFINITY;
  if (!(max >= 0)) {
    throw new DiffError('DIFF_INVALID_OPTION', `maxRecordsInReport must be a number ≥ 0, received ${String(max)}`, { data: { maxRecordsInReport: max } });
  }
  return {
    rules: options.rules ?? DEFAULT_EVENT_RULES,
    maxRecordsInReport: max,
    comparableFingerprints: options.comparableFingerprints ?? true,
    volatileColumns: new Set(options.volatile ?? []),
    ignoredColumns: new Set(options.ignore ?? []),
  };
}

/**
 * Compares two canonical tables of one resource by key: records added, removed and changed (field
 * by field, JSON cells by path), schema changes, and the audit events they make. Pure.
 *
 * @example
 * const change = diffTables(await parseCanonical(lastNight, schema, opts), await normaliseCsv(tonight, schema, opts));
 * change.events; // [{ severity: 'high', kind: 'integration.status_changed', id: '4', summary: 'Integration Okta: status active → inactive' }]
 */
export function diffTables(before: CanonicalTable, after: CanonicalTable, options: DiffOptions = {}): ResourceChange {
  if (before.schema.resource !== after.schema.resource) {
    throw new DiffError('DIFF_RESOURCE_MISMATCH', `cannot compare ${before.schema.resource} with ${after.schema.resource}: both tables must hold the same resource`, {
      data: { before: before.schema.resource, after: after.schema.resource },
    });
  }
  const b = tableSide(before);
  const a = tableSide(after);
  return diffSides(b, a, resolveDiffOptions(options), (i, j) => before.rows[i]!.line === after.rows[j]!.line);
}

function tableSide(table: CanonicalTable): DiffSide {
  const rows = table.rows;
  return {
    schema: table.schema,
    columns: table.columns,
    rows: { length: rows.length, key: (i) => rows[i]!.key, line: (i) => rows[i]!.line },
  };
}

/**
 * The change of a resource's first snapshot: status `new`, the row count, and one low
 * `resource.baseline` event instead of one "added" per record.
 */
export function baselineChange(table: CanonicalTable, options: DiffOptions = {}): ResourceChange {
  const { rules } = resolveDiffOptions(options);
  const rows = table.rows.length;
  const template = rules.baseline;
  const off = (rules.off ?? []).includes(template.kind);
  return {
    resource: table.schema.resource,
    status: 'new',
    counts: { before: 0, after: rows, added: 0, removed: 0, changed: 0, unchanged: 0 },
    schemaChanges: { addedColumns: [], removedColumns: [] },
    added: [],
    removed: [],
    changed: [],
    events: off ? [] : [{
      severity: template.severity,
      kind: template.kind,
      id: null,
      summary: fillTemplate(template.summary, { resource: table.schema.resource, label: table.schema.label, rows: String(rows) }),
    }],
  };
}

/**
 * A resource known to be unchanged without diffing it: its export was byte-identical to the one
 * behind the committed snapshot (`rows` records, all unchanged).
 */
export function unchangedChange(resource: string, rows: number): ResourceChange {
  return {
    resource,
    status: 'compared',
    counts: { before: rows, after: rows, added: 0, removed: 0, changed: 0, unchanged: rows },
    schemaChanges: { addedColumns: [], removedColumns: [] },
    added: [],
    removed: [],
    changed: [],
    events: [],
  };
}

/**
 * The change of a resource whose export failed: status `failed` with the error (its message must
 * already be free of secrets). The last snapshot, if there is one (`previousRows` given), stands,
 * so before and after are its row count.
 */
export function failedChange(resource: string, error: { code: string; message: string }, previousRows?: number): ResourceChange {
  const rows = previousRows ?? 0;
  return {
    resource,
    status: 'failed',
    error: { code: error.code, message: error.message },
    keptPrevious: previousRows !== undefined,
    counts: { before: rows, after: rows, added: 0, removed: 0, changed: 0, unchanged: 0 },
    schemaChanges: { addedColumns: [], removedColumns: [] },
    added: [],
    removed: [],
    changed: [],
    events: [],
  };
}
