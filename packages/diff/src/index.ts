export { diffTables, baselineChange, failedChange, unchangedChange, resolveDiffOptions } from './diff-tables.js';
export type { DiffOptions, DiffOptionsResolved } from './diff-tables.js';
export { compareExports, completeComparison } from './compare-exports.js';
export type { CompareExportsOptions, MatchedExports } from './compare-exports.js';
export { indexExport, matchExports, exportSubset } from './export-index.js';
export type { ExportIndex, ExportMatch } from './export-index.js';
export { diffJson } from './json-diff.js';
export type { JsonChange } from './json-diff.js';
export { buildChangeSet } from './change-set.js';
export type { ChangeSetInput } from './change-set.js';
export { DEFAULT_EVENT_RULES, resolveEventRules, tamperedEvent, rekeyedEvent } from './rules.js';
export type { EventRuleTable, EventRuleOverrides, ResourceEventRules, FieldEventRule, EventTemplate } from './rules.js';
export { applyChange } from './apply-change.js';
export { recordChanges } from './record-changes.js';
export type { HistoryEntry, HistoryEvent, RecordChangesOptions, RecordHistory, RecordTransition } from './record-changes.js';
export { DiffError } from './errors.js';
export type {
  AuditEvent, ChangeOp, ChangeSet, ChangeSetEnd, FieldChange, JsonPath, RecordChange, RecordEntry, ResourceChange,
  ResourceCounts, ResourceStatus, Severity,
} from './types.js';
